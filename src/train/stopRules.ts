import type { RunRecord, StopReason } from './run.ts';

/** A loss this many times its start counts as exploding even while still finite. */
export const EXPLODE_FACTOR = 1e8;

export interface StopVerdict {
  reason: StopReason;
  message: string;
}

/** Diverged (non-finite or exploding loss) or converged (F <= eps F_0), judged on a record. */
/** `gradNorm` may be left out where only the loss is known (the per-step check of full-batch runs). */
export function judgeRecord(rec: Pick<RunRecord, 'step' | 'loss'> & { gradNorm?: number }, loss0: number, eps: number, lr: number): StopVerdict | null {
  if (!Number.isFinite(rec.loss) || (rec.gradNorm !== undefined && !Number.isFinite(rec.gradNorm))) {
    return {
      reason: 'diverged',
      message: `loss became non-finite at step ${rec.step} with step size ${lr.toPrecision(3)}; try a smaller step size`,
    };
  }
  if (rec.loss > EXPLODE_FACTOR * loss0) {
    return {
      reason: 'diverged',
      message: `loss exploded to ${rec.loss.toPrecision(3)} (${EXPLODE_FACTOR.toExponential(0)} x its start) at step ${rec.step} with step size ${lr.toPrecision(3)}; try a smaller step size`,
    };
  }
  if (eps > 0 && rec.loss <= eps * loss0) {
    return { reason: 'converged', message: `F <= ${eps} F_0 at step ${rec.step}` };
  }
  return null;
}
