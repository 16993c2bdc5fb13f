import type { Notice, PageState } from '../../state/urlState.ts';
import type { WorkerPool } from '../../train/workerPool.ts';
import { prefersReducedMotion } from '../../viz/motion.ts';
import { frameScheduler, setData } from '../../viz/panelParts.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { initialChoice, recordChoice } from './choices.ts';
import { createFailureNotice } from './failureNotice.ts';
import { observeFigure, type FigureLifecycle, type LifecycleHandlers } from './lifecycle.ts';
import { attachRunDownload } from './runDownload.ts';
import { RunSet, type RunSetOptions } from './runSet.ts';

/**
 * What every figure controller gets: its own copy of the page state, the pool, a redraw that draws
 * on the next frame (at most every 500 ms under reduced motion), its panel choices, and whether it
 * is on screen. A controller returns what is its own: how to draw, what to do on and off screen,
 * what to let go on dispose.
 */
export interface Figure {
  readonly root: HTMLElement;
  readonly panelId: string;
  /** The panel's own copy: changes go out through `changed` or `choose`. */
  readonly state: PageState;
  readonly pool: WorkerPool;
  readonly reducedMotion: boolean;
  /** On screen with its tab visible (false until the first intersection report). */
  readonly active: boolean;
  redraw(): void;
  /** The panel's choice `name` as the link or the embed gave it, else its default. */
  choice(name: string): string;
  /** Records a choice the reader made and reports the state. */
  choose(name: string, value: string | number): void;
  /** Reports the state after a change of the run settings or the view. */
  changed(): void;
  notice(notices: Notice[]): void;
  /** A set of runs on the figure's pool that redraws the figure on every change; cancelled on dispose. */
  runs<T = undefined>(options?: Omit<RunSetOptions<T>, 'pool' | 'onChange'>): RunSet<T>;
}

export interface FigureParts extends LifecycleHandlers {
  draw(): void;
  dispose?(): void;
  /** Whether the figure offers to train failed runs again (default true; a figure may say so itself). */
  offersRetry?: boolean;
}

export function copyState(state: PageState): PageState {
  return { ...state, config: { ...state.config }, hide: [...state.hide], choices: { ...state.choices } };
}

/**
 * Training's records redraw a figure at most this often: a curve that grows 10 times a second reads
 * as smooth, and each frame of a figure costs the page 3-4 ms of style, layout, paint and script
 * (so 10 frames a second keep the main thread under 5% busy while a figure trains; the reader's own
 * changes still draw on the next frame). The training worker batches its records at the same pace.
 */
export const RECORD_FRAME_MS = 100;

export function mountFigure(root: HTMLElement, panelId: string, options: PanelOptions, setup: (figure: Figure) => FigureParts): MountedPanel {
  const state = copyState(options.state);
  let lifecycle: FigureLifecycle | null = null;
  let draw = (): void => {};
  const sets: RunSet<unknown>[] = [];
  const reducedMotion = prefersReducedMotion();
  const recordsRedraw = frameScheduler(() => draw(), reducedMotion, 500, RECORD_FRAME_MS);
  const figure: Figure = {
    root,
    panelId,
    state,
    pool: options.pool,
    reducedMotion,
    get active() {
      return lifecycle?.active ?? false;
    },
    redraw: frameScheduler(() => draw(), reducedMotion),
    choice: (name) => initialChoice(state, panelId, name),
    choose: (name, value) => recordChoice(state, options, panelId, name, value),
    changed: () => options.onState?.(copyState(state)),
    notice: (notices) => {
      if (notices.length) options.onNotice?.(notices);
    },
    runs: <T>(o: Omit<RunSetOptions<T>, 'pool' | 'onChange'> = {}) => {
      const set = new RunSet<T>({ ...o, pool: options.pool, onChange: recordsRedraw });
      sets.push(set as RunSet<unknown>);
      return set;
    },
  };
  const parts = setup(figure);
  const runDownload = sets.length ? attachRunDownload(root, panelId, () => sets.flatMap((set) => set.runs)) : null;
  const failure = parts.offersRetry === false ? null : createFailureNotice(root, () => {
    for (const set of sets) set.retryFailed();
  });
  draw = () => {
    parts.draw();
    setData(root, { runState: runsState(sets) });
    runDownload?.update();
    failure?.update(sets.flatMap((set) => set.runs.filter((r) => r.error !== null).map((r) => r.error!)));
  };
  lifecycle = observeFigure(root, parts);
  figure.redraw();
  return {
    state,
    dispose() {
      lifecycle?.disconnect();
      parts.dispose?.();
      for (const set of sets) set.dispose();
    },
  };
}

/**
 * The figure's runs at a glance, on its root as data-run-state (tests wait on it): "idle" before any run
 * started, "running" while any has not ended, then "done" (every run ended, or failed).
 */
export function runsState(sets: readonly Pick<RunSet<unknown>, 'started' | 'running'>[]): 'idle' | 'running' | 'done' {
  if (!sets.some((s) => s.started)) return 'idle';
  return sets.some((s) => s.running > 0) ? 'running' : 'done';
}
