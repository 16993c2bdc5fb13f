import type { Figure } from './mountFigure.ts';
import { runPhase } from './runNote.ts';
import type { Run, RunSet } from './runSet.ts';

/**
 * Reduced motion for every figure: when the reader's system asks for less motion, a figure does not
 * animate its runs record by record. It draws when its state settles: a run starts, ends or fails,
 * a probe's result is complete (`extra`), the reader changes a choice, or the figure comes on or
 * off screen. A run's curves then appear whole when it ends, and the numbers the essay quotes
 * still arrive (they are computed on those draws). Without the preference, `draw` is returned as is.
 */
export function calmDraw(figure: Pick<Figure, 'reducedMotion' | 'active' | 'state'>, runs: () => readonly Run<unknown>[], draw: () => void, extra: () => string = () => ''): () => void {
  if (!figure.reducedMotion) return draw;
  let last: string | null = null;
  return () => {
    const key = settledKey(figure, runs(), extra());
    if (key === last) return;
    last = key;
    draw();
  };
}

/** What a calm figure redraws on: everything but the progress of runs that are training. */
export function settledKey(figure: Pick<Figure, 'active' | 'state'>, runs: readonly Run<unknown>[], extra: string): string {
  const phases = runs.map((r) => {
    const phase = runPhase(r);
    // starting, queued, running and paused all read "going": their records do not redraw
    const going = phase === 'running' || phase === 'paused' || phase === 'starting' || phase === 'queued';
    return `${r.key}#${r.launches}:${going ? 'going' : phase}:${r.end?.step ?? ''}`;
  });
  return JSON.stringify([figure.active, figure.state.choices, phases, extra]);
}

/**
 * The parts of a figure whose runs are one set: the set's lifecycle (start on the first time on
 * screen, pause off screen, release, resume) and a calm draw over its runs.
 */
export function calmSetParts(
  figure: Pick<Figure, 'reducedMotion' | 'active' | 'state'>,
  set: Pick<RunSet<unknown>, 'runs' | 'lifecycle'>,
  start: () => void,
  draw: () => void,
  extra?: () => string,
): ReturnType<RunSet<unknown>['lifecycle']> & { draw: () => void } {
  return { ...set.lifecycle(start), draw: calmDraw(figure, () => set.runs, draw, extra) };
}
