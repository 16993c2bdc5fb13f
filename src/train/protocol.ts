import type { RunConfig } from './config.ts';
import type { RunRecord, StopReason } from './run.ts';

/**
 * The page <-> training worker protocol. One worker hosts at most one run at a time.
 *
 * Records travel packed: a Float32Array of RECORD_STRIDE numbers per record, in RECORD_FIELDS
 * order, transferred (not copied) to the page.
 */

export const RECORD_FIELDS = ['step', 'loss', 'gradNorm'] as const satisfies readonly (keyof RunRecord)[];
export const RECORD_STRIDE = RECORD_FIELDS.length;

/** Page -> worker. `start` replaces any run in progress. */
export type ToWorker =
  | { type: 'start'; config: RunConfig }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };

/** Why a run ended: the run's own stop rules, or the page asked it to stop. */
export type DoneReason = StopReason | 'stopped';

/** Worker -> page. */
export type FromWorker =
  | { type: 'records'; data: Float32Array }
  | { type: 'done'; reason: DoneReason; message: string; step: number }
  | { type: 'error'; message: string };

export function packRecords(recs: readonly RunRecord[]): Float32Array {
  const out = new Float32Array(recs.length * RECORD_STRIDE);
  recs.forEach((r, i) => {
    out[i * RECORD_STRIDE] = r.step;
    out[i * RECORD_STRIDE + 1] = r.loss;
    out[i * RECORD_STRIDE + 2] = r.gradNorm;
  });
  return out;
}

export function unpackRecords(data: Float32Array): RunRecord[] {
  const out: RunRecord[] = [];
  for (let i = 0; i + RECORD_STRIDE <= data.length; i += RECORD_STRIDE) {
    out.push({ step: data[i], loss: data[i + 1], gradNorm: data[i + 2] });
  }
  return out;
}
