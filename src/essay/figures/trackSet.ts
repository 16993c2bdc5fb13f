import type { RunConfig } from '../../train/config.ts';
import type { MeasureSwitches } from '../../train/instruments.ts';
import type { RunInfo } from '../../train/protocol.ts';
import type { RecordField } from '../../train/recordLayout.ts';
import type { RunEnd, RunHandle } from '../../train/runHandle.ts';
import type { WorkerPool } from '../../train/workerPool.ts';
import { fitPowerLaw, linearFit } from '../../train/fit.ts';
import { formatInt } from '../../viz/format.ts';

/**
 * Runs of several widths side by side for the theory panels (gradient-bound, semi-smoothness,
 * lazy-ball): each run's records collected column by column, its end and its facts. Runs pause
 * while their figure is off screen (`hold`) and are cancelled on `dispose`.
 */
export interface Track {
  m: number;
  config: RunConfig;
  handle: RunHandle;
  info: RunInfo | null;
  end: RunEnd | null;
  error: string | null;
  cols: Map<RecordField, number[]>;
}

export interface TrackSetOptions {
  pool: WorkerPool;
  measures: Partial<MeasureSwitches>;
  fields: readonly RecordField[]; // columns to keep ('step' and 'loss' always)
  probes?: boolean;
  paused: boolean;
  onChange(): void;
  /** After a run ends (a probe run still answers probes until it is cancelled). */
  onDone?(t: Track): void;
}

export function col(t: Track, f: RecordField): number[] {
  return t.cols.get(f) ?? [];
}

export function last(t: Track, f: RecordField): number {
  const c = col(t, f);
  return c.length ? c[c.length - 1] : NaN;
}

/** A CSV row per record of every track, in track order; `row(t, i)` reads record i of track t. */
export function trackRows(tracks: readonly Track[], row: (t: Track, i: number) => unknown[]): unknown[][] {
  const rows: unknown[][] = [];
  for (const t of tracks) for (let i = 0; i < col(t, 'step').length; i++) rows.push(row(t, i));
  return rows;
}

/** What a run is doing, for legends: "waiting for a worker", "step 120", "converged in 96 steps". */
export function trackNote(t: Track): string {
  if (t.error) return 'failed';
  if (t.end) {
    if (t.end.reason === 'converged') return `converged in ${formatInt(t.end.step)} steps`;
    if (t.end.reason === 'diverged') return `diverged at step ${formatInt(t.end.step)}`;
    if (t.end.reason === 'steps') return `step limit (${formatInt(t.end.step)})`;
    return `stopped at step ${formatInt(t.end.step)}`;
  }
  switch (t.handle.state) {
    case 'cancelled':
      return 'resumes on screen';
    case 'queued':
      return 'waiting for a worker';
    case 'starting':
      return 'setting up';
    case 'paused':
      return `paused at step ${formatInt(t.handle.progress.step)}`;
    default:
      return `step ${formatInt(t.handle.progress.step)}`;
  }
}

export class TrackSet {
  tracks: Track[] = [];

  constructor(private readonly o: TrackSetOptions) {}

  start(configs: readonly RunConfig[], paused: boolean): void {
    this.cancel();
    this.tracks = configs.map((config) => this.launch(config, paused));
    this.o.onChange();
  }

  private launch(config: RunConfig, paused: boolean): Track {
    const fields = [...new Set<RecordField>(['step', 'loss', ...this.o.fields])];
    const t: Track = { m: config.m, config, handle: null as unknown as RunHandle, info: null, end: null, error: null, cols: new Map(fields.map((f) => [f, []])) };
    t.handle = this.o.pool.start(
      { config, measures: this.o.measures, probes: this.o.probes },
      {
        started: (info) => {
          t.info = info;
          this.o.onChange();
        },
        records: (batch) => {
          for (const f of fields) {
            const c = t.cols.get(f)!;
            for (let i = 0; i < batch.count; i++) c.push(batch.get(i, f));
          }
          this.o.onChange();
        },
        done: (end) => {
          t.end = end;
          this.o.onDone?.(t);
          this.o.onChange();
        },
        error: (msg) => {
          t.error = msg;
          this.o.onChange();
        },
        state: () => this.o.onChange(),
      },
      { paused },
    );
    return t;
  }

  /**
   * Off screen, runs still going are let go rather than paused: a paused run keeps its worker, and
   * the page's few workers are shared by every figure. Back on screen they start again from the
   * same seeds (so the same trajectory), their records so far dropped.
   */
  hold(off: boolean): void {
    this.tracks = this.tracks.map((t) => {
      if (t.end || t.error) return t;
      if (off) {
        t.handle.cancel();
        return t;
      }
      if (t.handle.state !== 'cancelled') return t;
      return this.launch(t.config, false);
    });
    this.o.onChange();
  }

  /** Whether runs were launched (start was called). */
  get started(): boolean {
    return this.tracks.length > 0;
  }

  get running(): number {
    return this.tracks.filter((t) => !t.end && !t.error).length;
  }

  cancel(): void {
    for (const t of this.tracks) t.handle.cancel();
  }
}

/** The power-law fit of y against m (fit.ts) with its line over the widths, for drawing. */
export function fitLine(points: readonly { m: number; y: number }[]): { slope: number; lo: number; hi: number; xs: number[]; ys: number[] } | null {
  const ok = points.filter((p) => p.y > 0 && Number.isFinite(p.y));
  const fit = fitPowerLaw(ok.map((p) => ({ ...p, seed: 0 })));
  if (!fit || ok.length < 3) return null;
  const { slope, intercept } = linearFit(
    ok.map((p) => Math.log(p.m)),
    ok.map((p) => Math.log(p.y)),
  );
  const ms = ok.map((p) => p.m);
  const xs = [Math.min(...ms), Math.max(...ms)];
  return { slope, lo: fit.lo, hi: fit.hi, xs, ys: xs.map((m) => Math.exp(intercept + slope * Math.log(m))) };
}

/** "−0.52 (95% interval −0.61 to −0.43)". */
export function slopeText(f: { slope: number; lo: number; hi: number } | null): string {
  if (!f) return 'not yet measured';
  const s = (v: number) => (v < 0 ? `\u2212${Math.abs(v).toFixed(2)}` : v.toFixed(2));
  return Number.isFinite(f.lo) ? `${s(f.slope)} (95% interval ${s(f.lo)} to ${s(f.hi)})` : s(f.slope);
}

/** How a fitted slope compares with an expected one: "consistent with", "steeper than", "shallower than". */
export function compareSlope(f: { slope: number; lo: number; hi: number }, expected: number): 'consistent with' | 'steeper than' | 'shallower than' {
  if (f.lo <= expected && expected <= f.hi) return 'consistent with';
  return Math.abs(f.slope) > Math.abs(expected) ? 'steeper than' : 'shallower than';
}

export const NOT_STARTED = 'Starts when the figure comes into view.';

/** The status line of a figure that trains several widths. */
export function widthsStatus(started: boolean, running: number, onScreen: boolean): string {
  if (!started) return NOT_STARTED;
  if (running === 0) return 'All widths done.';
  return `Training ${running} width${running > 1 ? 's' : ''}${onScreen ? '\u2026' : ' (paused while out of view)'}`;
}
