import type { RunEnd, RunState } from '../../train/runHandle.ts';
import { formatInt } from '../../viz/format.ts';

/**
 * What a run is doing, in words: a legend's note ("step 120", "converged in 96 steps") or a
 * figure's status line ("Training width 32, step 120.", "Width 32: converged in 96 steps."). Every
 * figure says it through here, so the same state reads the same everywhere.
 */
export type RunPhase =
  | 'idle' // no run yet
  | 'queued'
  | 'starting'
  | 'running'
  | 'paused'
  | 'released' // let go off screen; trains again on return
  | 'left' // cancelled by the figure before it ended
  | 'converged'
  | 'diverged'
  | 'dead' // the gradient is exactly zero while the loss is not: no step can move it
  | 'stalled' // no progress over a window of steps
  | 'steps' // the step limit
  | 'stopped'
  | 'failed';

/** What a note reads of a run: a Run of runSet.ts, or anything with its handle, end and error. */
export interface NoteSource {
  handle: { state: RunState; progress: { step: number } };
  end: RunEnd | null;
  error: string | null;
  released?: boolean;
}

export function runPhase(run: NoteSource | null | undefined): RunPhase {
  if (!run) return 'idle';
  if (run.error !== null) return 'failed';
  // released runs train again, even ended ones (a probe run that has to be live: runSet's releaseEnded)
  if (run.released) return 'released';
  if (run.end) return run.end.reason;
  switch (run.handle.state) {
    case 'queued':
      return 'queued';
    case 'starting':
      return 'starting';
    case 'paused':
      return 'paused';
    case 'running':
      return 'running';
    case 'error':
      return 'failed';
    default:
      return 'left';
  }
}

export const NOT_STARTED = 'Starts when the figure comes into view.';

export interface NoteOptions {
  /** A legend's note (default) or a status line (a sentence). */
  form?: 'note' | 'status';
  /** What the run is called in a status line: "width 32". */
  subject?: string;
  /** What setting up covers, in a status line (default: the subject): "width 32 and K₀". */
  setup?: string;
  /** 'iteration' where the figure counts iterations (Du et al.'s figure). */
  unit?: 'step' | 'iteration';
  /** A figure's own words for some phases. */
  overrides?: Partial<Record<RunPhase, string>>;
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function runNote(run: NoteSource | null | undefined, o: NoteOptions = {}): string {
  const phase = runPhase(run);
  const own = o.overrides?.[phase];
  if (own !== undefined) return own;
  const unit = o.unit ?? 'step';
  const step = formatInt(run?.end?.step ?? run?.handle.progress.step ?? 0);
  const message = run?.error ?? run?.end?.message ?? '';
  return o.form === 'status' ? statusLine(phase, unit, step, message, o) : legendNote(phase, unit, step, message);
}

function legendNote(phase: RunPhase, unit: string, step: string, message: string): string {
  switch (phase) {
    case 'idle':
      return 'not started';
    case 'queued':
      return 'waiting for a worker';
    case 'starting':
      return 'setting up';
    case 'running':
      return `${unit} ${step}`;
    case 'paused':
      return `paused at ${unit} ${step}`;
    case 'released':
      return 'resumes on screen';
    case 'left':
      return `left at ${unit} ${step}`;
    case 'converged':
      return `converged in ${step} ${unit}s`;
    case 'diverged':
      return `diverged at ${unit} ${step}`;
    case 'dead':
      return `dead at ${unit} ${step}`;
    case 'stalled':
      return `stalled at ${unit} ${step}`;
    case 'steps':
      return `${unit} limit (${step})`;
    case 'stopped':
      return `stopped at ${unit} ${step}`;
    case 'failed':
      return `failed: ${message}`;
  }
}

function statusLine(phase: RunPhase, unit: string, step: string, message: string, o: NoteOptions): string {
  const subject = o.subject ?? 'the run';
  const ended = (what: string) => `${cap(subject)}: ${what}.`;
  switch (phase) {
    case 'idle':
      return NOT_STARTED;
    case 'queued':
      return 'Waiting for a free worker\u2026';
    case 'starting':
      return `Setting up ${o.setup ?? subject}\u2026`;
    case 'running':
      return `Training ${subject}, ${unit} ${step}.`;
    case 'paused':
      return 'Paused while out of view.';
    case 'released':
      return 'Let go while out of view; it trains again when you come back.';
    case 'left':
      return ended(`left at ${unit} ${step}`);
    case 'converged':
      return ended(`converged in ${step} ${unit}s`);
    case 'diverged':
      return ended(`diverged at ${unit} ${step}`);
    case 'dead':
    case 'stalled':
      return ended(message);
    case 'steps':
      return ended(`ended at the ${unit} limit, ${unit} ${step}`);
    case 'stopped':
      return ended(`stopped at ${unit} ${step}`);
    case 'failed':
      return ended(`the run failed: ${message}`);
  }
}

/** The status line of a figure that trains several runs: "Training 3 widths…", "All widths done.". */
export function setStatus(set: { started: boolean; running: number }, o: { noun?: string; active: boolean; done?: string }): string {
  const noun = o.noun ?? 'width';
  if (!set.started) return NOT_STARTED;
  if (set.running === 0) return o.done ?? `All ${noun}s done.`;
  return `Training ${set.running} ${noun}${set.running > 1 ? 's' : ''}${o.active ? '\u2026' : ' (paused while out of view)'}`;
}
