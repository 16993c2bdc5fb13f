import type { Notice, PageState } from '../state/urlState.ts';
import type { WorkerPool } from '../train/workerPool.ts';

/** What a figure controller is given to mount a panel: the essay, embed.html and the element all pass these. */
export interface PanelOptions {
  state: PageState;
  /** Called after every change of the state (the page mirrors it into the URL, an embed into attributes). */
  onState?(state: PageState): void;
  /** Values that were repaired or refused. */
  onNotice?(notices: Notice[]): void;
  /** The workers the panel trains on: the page's pool, or the embed library's. */
  pool: WorkerPool;
}

export interface MountedPanel {
  readonly state: PageState;
  dispose(): void;
}

/** Builds a panel in `figure` and starts its controller. */
export type MountPanel = (figure: HTMLElement, options: PanelOptions) => MountedPanel;

export interface PanelEntry {
  title: string; // a few words, for embed snippets and notices
  /** The panel whose changes to the run settings (config, view) the page's URL follows; others only set their own choices. */
  ownsRunSettings?: boolean;
  /** The panel's code, fetched on first use (a chunk of its own): a page loads only the panels it shows. */
  load(): Promise<MountPanel>;
}
