import type { RunConfig } from './config.ts';
import type { MeasureSwitches } from './instruments.ts';
import { BASE_FIELDS, type RecordField } from './recordLayout.ts';
import type { ProbeRequest, ProbeResult } from './probes.ts';
import type { StopReason } from './run.ts';

/**
 * The page <-> training worker protocol. A worker hosts at most one run at a time; every message
 * names its run by `runId`, chosen by the page, so whatever a worker still says about a run the
 * page has replaced is recognised and dropped (a restart is clean even while messages are in flight).
 *
 * Records travel packed (see recordLayout.ts): one Float32Array per batch, transferred, at most
 * one batch per redraw of a training figure (100 ms).
 */

export { packRecords, unpackRecords } from './recordLayout.ts';
/** The layout of a record without measurements. */
export const RECORD_FIELDS = BASE_FIELDS;
export const RECORD_STRIDE = RECORD_FIELDS.length;

/** What the page asks a worker to run. */
export interface RunRequest {
  config: RunConfig;
  /** Theory measurements each record carries (default: none; records hold step, loss, gradNorm). */
  measures?: Partial<MeasureSwitches>;
  /**
   * Answer probes (slices, landscape grids, kernels, flips: see probes.ts). The worker then keeps
   * trajectory snapshots, and keeps the run after it ends, until the page stops it.
   */
  probes?: boolean;
}

/** Page -> worker. `start` replaces any run in progress. */
export type ToWorker =
  | ({ type: 'start'; runId: number; paused?: boolean } & RunRequest)
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  /** Pause, then make `count` updates (the reader's "step" button). */
  | { type: 'step'; runId: number; count: number }
  | { type: 'stop'; runId: number }
  /** Compute a probe between training slices; long ones answer in installments. */
  | { type: 'probe'; runId: number; probeId: number; request: ProbeRequest }
  /** Are you there? Answered with `alive` at once, even while the kernels load (see workerPool.ts). */
  | { type: 'ping' };

/** Facts about a run, known once it is set up (before its first update). */
export interface RunInfo {
  layout: RecordField[];
  lr: number; // eta actually used
  lambdaMax0: number | null; // largest eigenvalue of K_0 when eta was derived from it
  delta: number; // separation of the data (min pairwise distance)
  params: { total: number; trained: number };
  kernels: string; // which matrix kernels run it, e.g. 'wasm-relaxed-simd'
  setupMs: number; // data, init and K_0
}

/** Why a run ended: the run's own stop rules, or the page asked it to stop. */
export type DoneReason = StopReason | 'stopped';

/** A run's set-up, in order: data and weights, then the tangent kernel K_0 (the first step follows 'started'). */
export type SetupPhase = 'init' | 'kernel';

/** Worker -> page. */
export type FromWorker =
  | { type: 'started'; runId: number; info: RunInfo }
  /** Set-up has reached `phase` (sent from inside the synchronous set-up, so the page can say how far it is). */
  | { type: 'setup'; runId: number; phase: SetupPhase }
  | {
      type: 'records';
      runId: number;
      data: Float32Array; // packed in the run's layout
      step: number; // updates made so far
      stepsPerSecond: number; // measured over the last second of training
      stepMs: number; // measured cost of one update (with its record)
    }
  | { type: 'done'; runId: number; reason: DoneReason; message: string; step: number }
  | { type: 'error'; runId: number; message: string }
  | { type: 'probe'; runId: number; probeId: number; done: boolean; result: ProbeResult }
  | { type: 'probeError'; runId: number; probeId: number; message: string }
  /**
   * The worker is there: the answer to a ping, and the receipt of a start message, sent before the
   * run's set-up (a long synchronous stretch: data, init, K_0) begins. runId 0 answers a ping.
   */
  | { type: 'alive'; runId: number };
