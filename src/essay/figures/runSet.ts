import type { RunConfig } from '../../train/config.ts';
import type { MeasureSwitches } from '../../train/instruments.ts';
import type { RunInfo } from '../../train/protocol.ts';
import type { RecordBatch, RecordField } from '../../train/recordLayout.ts';
import type { RunEnd, RunHandle, RunProgress } from '../../train/runHandle.ts';
import type { WorkerPool } from '../../train/workerPool.ts';
import type { LifecycleHandlers } from './lifecycle.ts';

/**
 * The runs a figure trains, keyed by name: each run's records collected column by column, its
 * facts, its end, and whatever the figure keeps beside it (`own`, made afresh at every launch).
 *
 * The set follows the figure's lifecycle: `pause` off screen, `release` once it has stayed off
 * screen a while (unfinished runs lend their workers: a run that waits for one may take it),
 * `resume` on screen (lent runs take up where they were; runs whose workers were taken train again
 * from the same seeds, so along the same trajectory, their partial records dropped).
 */
export interface RunSpec {
  key: string;
  config: RunConfig;
  /** Default: the set's. */
  measures?: Partial<MeasureSwitches>;
  /** Default: the set's. */
  probes?: boolean;
  /** Ahead of queued runs (the run the reader is looking at). */
  first?: boolean;
  /** Starts (and starts again after a release) held paused whatever the lifecycle, until the figure lets it go with the set (`hold`) or steps it. */
  held?: boolean;
}

export interface Run<T = undefined> {
  readonly key: string;
  readonly spec: RunSpec;
  handle: RunHandle;
  info: RunInfo | null;
  end: RunEnd | null;
  error: string | null;
  /** Let go off screen: it trains again on the next `resume`. */
  released: boolean;
  held: boolean;
  /** Records so far, a column per field ('step' and 'loss' always). */
  cols: Map<RecordField, number[]>;
  /** The figure's own state for this launch of the run. */
  own: T;
  /** How many times the run was launched (1, then 2 after a release and retrain, ...). */
  launches: number;
}

export interface RunSetOptions<T = undefined> {
  pool: Pick<WorkerPool, 'start'>;
  measures?: Partial<MeasureSwitches>;
  /** Columns to keep besides 'step' and 'loss'. */
  fields?: readonly RecordField[];
  probes?: boolean;
  /**
   * Release also lets go of ended runs that still answer probes, and trains them again on return
   * (a figure that probes a finished run needs it live).
   */
  releaseEnded?: boolean;
  /** The figure's state beside a run, made at each launch (so dropped with a release). */
  own?(spec: RunSpec): T;
  /** After any change: a launch, records, an end, an error, a state change. */
  onChange(): void;
  started?(run: Run<T>, info: RunInfo): void;
  /** Each batch, after its records are in the columns. */
  records?(run: Run<T>, batch: RecordBatch, progress: RunProgress): void;
  /** After a run ends (a probe run still answers probes until it is cancelled). */
  done?(run: Run<T>, end: RunEnd): void;
  error?(run: Run<T>, message: string): void;
}

export function col<T>(run: Run<T>, f: RecordField): number[] {
  return run.cols.get(f) ?? [];
}

export function last<T>(run: Run<T>, f: RecordField): number {
  const c = col(run, f);
  return c.length ? c[c.length - 1] : NaN;
}

/** A CSV row per record of every run, in order; `row(run, i)` reads record i of the run. */
export function runRows<T>(runs: readonly Run<T>[], row: (run: Run<T>, i: number) => unknown[]): unknown[][] {
  const rows: unknown[][] = [];
  for (const r of runs) for (let i = 0; i < col(r, 'step').length; i++) rows.push(row(r, i));
  return rows;
}

export class RunSet<T = undefined> {
  runs: Run<T>[] = [];
  private paused = true; // until the first resume (the figure's first time on screen)
  private begun = false;

  constructor(private readonly o: RunSetOptions<T>) {}

  get(key: string): Run<T> | undefined {
    return this.runs.find((r) => r.key === key);
  }

  /** Starts a run; one of the same key is cancelled and replaced (the new one goes last). */
  start(spec: RunSpec): Run<T> {
    this.remove(spec.key, false);
    const run = { key: spec.key, spec, launches: 0 } as Run<T>;
    this.launch(run);
    this.runs.push(run);
    this.begun = true;
    this.o.onChange();
    return run;
  }

  /** Cancels every run and starts these. */
  startAll(specs: readonly RunSpec[]): Run<T>[] {
    this.clear();
    const runs = specs.map((s) => this.start(s));
    this.begun = true;
    return runs;
  }

  /** Cancels the run of that key and drops it. */
  remove(key: string, notify = true): void {
    const run = this.get(key);
    if (!run) return;
    run.handle.cancel();
    this.runs = this.runs.filter((r) => r !== run);
    if (notify) this.o.onChange();
  }

  /** Cancels and drops every run; the set counts as not started until the next start. */
  clear(): void {
    for (const r of this.runs) r.handle.cancel();
    this.runs = [];
    this.begun = false;
  }

  /** Whether runs were started (and not cleared since). */
  get started(): boolean {
    return this.begun;
  }

  /** Runs that have not ended: training, waiting, paused, or released to train again. */
  get running(): number {
    return this.runs.filter((r) => r.released || r.handle.active).length;
  }

  /** Whether runs may train: after `resume`, until `pause`. */
  get live(): boolean {
    return !this.paused;
  }

  /** Pauses every run still going (off screen). */
  pause(): void {
    this.paused = true;
    for (const r of this.runs) {
      r.handle.setAway(true);
      r.handle.pause();
    }
    this.o.onChange();
  }

  /** Resumes the paused runs where they were, and trains released runs again from their seeds (on screen). */
  resume(): void {
    this.paused = false;
    for (const r of this.runs) {
      r.handle.reclaim();
      r.handle.setAway(false);
      if (r.released) this.launch(r);
      else if (!r.held && r.handle.active) r.handle.resume();
    }
    this.o.onChange();
  }

  /**
   * Lends the workers of unfinished runs (and ended probe runs, with releaseEnded) to runs that wait
   * for one: a run keeps its worker, paused where it was, until the pool gives it away; only then
   * is it released, and `resume` trains it again from its seeds. A run still queued is let go now.
   */
  release(): void {
    for (const r of this.runs) {
      const keep = r.end ? !(this.o.releaseEnded && r.handle.probing) : !r.handle.active;
      if (keep || r.error) continue;
      if (r.handle.state === 'queued') {
        r.handle.cancel();
        r.released = true;
      } else r.handle.lend();
    }
    this.o.onChange();
  }

  /** Trains the runs that failed again, from their seeds (after a worker died, say). */
  retryFailed(): void {
    for (const r of this.runs) if (r.error !== null) this.launch(r);
    if (!this.paused) for (const r of this.runs) if (!r.held && r.handle.active) r.handle.resume();
    this.o.onChange();
  }

  /** Holds a run paused (or lets it train with the set again). */
  hold(run: Run<T>, held: boolean): void {
    run.held = held;
    if (held) run.handle.pause();
    else if (!this.paused) run.handle.resume();
  }

  /** Holds the run and makes `count` updates. */
  stepBy(run: Run<T>, count = 1): void {
    run.held = true;
    run.handle.stepBy(count);
  }

  /** Cancels every run (they stay in `runs`, for drawing). */
  cancel(): void {
    for (const r of this.runs) {
      r.handle.cancel();
      r.released = false;
    }
  }

  dispose(): void {
    this.cancel();
  }

  /**
   * The lifecycle of a figure whose runs are this set: `start` launches them the first time the
   * figure is on screen; after that they pause off screen, are released after the lifecycle's
   * delay, and resume (or train again) on screen.
   */
  lifecycle(start: () => void): Required<Pick<LifecycleHandlers, 'onscreen' | 'offscreen' | 'release'>> {
    return {
      onscreen: () => {
        this.resume();
        if (!this.started) start();
      },
      offscreen: () => this.pause(),
      release: () => this.release(),
    };
  }

  private launch(run: Run<T>): void {
    const o = this.o;
    const spec = run.spec;
    const fields = [...new Set<RecordField>(['step', 'loss', ...(o.fields ?? [])])];
    const launch = ++run.launches;
    const current = () => run.launches === launch;
    Object.assign(run, { info: null, end: null, error: null, released: false, held: spec.held ?? false, cols: new Map(fields.map((f) => [f, []])) });
    run.own = (o.own?.(spec) ?? undefined) as T;
    run.handle = o.pool.start(
      { config: spec.config, measures: spec.measures ?? o.measures, probes: spec.probes ?? o.probes },
      {
        started: (info) => {
          if (!current()) return;
          run.info = info;
          o.started?.(run, info);
          o.onChange();
        },
        records: (batch, progress) => {
          if (!current()) return;
          for (const f of fields) {
            const c = run.cols.get(f)!;
            for (let i = 0; i < batch.count; i++) c.push(batch.get(i, f));
          }
          o.records?.(run, batch, progress);
          o.onChange();
        },
        done: (end) => {
          if (!current()) return;
          run.end = end;
          o.done?.(run, end);
          o.onChange();
        },
        error: (message) => {
          if (!current()) return;
          run.error = message;
          o.error?.(run, message);
          o.onChange();
        },
        state: () => {
          if (current()) o.onChange();
        },
        evicted: () => {
          if (!current()) return;
          run.released = true; // its worker went to another figure's run: it trains again on return
          o.onChange();
        },
      },
      { first: spec.first, paused: this.paused || run.held, away: this.paused },
    );
  }
}
