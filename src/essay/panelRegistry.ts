import type { Notice, PageState } from '../train/urlState.ts';
import type { WorkerPool } from '../train/workerPool.ts';
import { mountWidthConvergence } from './widthConvergenceFigure.ts';
import { mountNtk } from './ntkFigure.ts';
import { mountLandscape } from './landscapeFigure.ts';
import { mountSeparation } from './separationFigure.ts';
import { mountDuFigure } from './duFigureFigure.ts';
import { mountGradientBound } from './gradientBoundFigure.ts';
import { mountSemiSmoothness } from './semiSmoothnessFigure.ts';
import { mountLazyBall } from './lazyBallFigure.ts';
import { mountBoundsVsReality } from './boundsVsRealityFigure.ts';

/**
 * Every panel the essay can show, by the ID its figure root carries (data-panel="ID"). The essay,
 * embed.html and the <wide-enough-panel> element all mount panels through this one table.
 */
export interface PanelOptions {
  state: PageState;
  /** Called after every change of the state (the page mirrors it into the URL, an embed into attributes). */
  onState?(state: PageState): void;
  /** Values that were repaired or refused. */
  onNotice?(notices: Notice[]): void;
  pool?: WorkerPool;
}

export interface MountedPanel {
  readonly state: PageState;
  dispose(): void;
}

export interface PanelEntry {
  title: string; // a few words, for embed snippets and notices
  /** The panel whose changes to the run settings (config, view) the page's URL follows; others only set their own choices. */
  ownsRunSettings?: boolean;
  mount(figure: HTMLElement, options: PanelOptions): MountedPanel;
}

export const PANELS: Record<string, PanelEntry> = {
  'width-convergence': { title: 'Wider networks converge', mount: mountWidthConvergence, ownsRunSettings: true },
  // Panels of issue 6 register here, one line each: 'ID': { title, mount }.
  landscape: { title: 'The loss surface near the path', mount: mountLandscape },
  ntk: { title: 'The tangent kernel barely moves', mount: mountNtk },
  separation: { title: 'Close inputs slow convergence', mount: mountSeparation },
  'du-figure': { title: "Du et al.'s Figure 1, redrawn", mount: mountDuFigure },
  'gradient-bound': { title: 'The gradient is large while the loss is', mount: mountGradientBound },
  'semi-smoothness': { title: 'A step against the gradient still descends', mount: mountSemiSmoothness },
  'lazy-ball': { title: 'Wide networks barely move', mount: mountLazyBall },
  'bounds-vs-reality': { title: 'The width the theorem asks for, and the width that works', mount: mountBoundsVsReality },
};

export function panelIds(): string[] {
  return Object.keys(PANELS);
}
