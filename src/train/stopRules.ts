import type { RunRecord, StopReason } from './run.ts';

/** A loss this many times its start counts as exploding even while still finite. */
export const EXPLODE_FACTOR = 1e8;

export interface StopVerdict {
  reason: StopReason;
  message: string;
}

/**
 * Diverged (non-finite or exploding loss), dead (a zero gradient while the loss is not) or
 * converged (F <= eps F_0), judged on a record. `gradNorm` may be left out where only the loss is
 * known (the per-step check of full-batch runs).
 */
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
  // A zero gradient at a positive loss: every input the network still gets wrong has every unit of
  // some layer off (those it fits exactly have zero residual), so no gradient reaches any weight
  // and no step can move them again. This is a bad critical point, which the paper's gradient
  // lower bound (Theorem 3) rules out near initialization; a too-large step can jump out to one.
  if (rec.gradNorm === 0 && rec.loss > 0) {
    return {
      reason: 'dead',
      message: `the network is dead at step ${rec.step}: the gradient is exactly zero while F = ${rec.loss.toPrecision(3)}, as every input it still gets wrong has a layer with every unit off; no step can lower F from here (a smaller step size keeps the weights near initialization, where this cannot happen)`,
    };
  }
  return null;
}

/** A run whose lowest loss has not improved by STALL_MARGIN (relative) in STALL_WINDOW steps has stalled. */
export const STALL_WINDOW = 5000;
export const STALL_MARGIN = 1e-4;

/**
 * Watches the lowest loss so far: a run making no progress over a window of steps is stopped with
 * a reason, rather than left training for nobody (the loss of a live, over-parameterized network
 * falls geometrically; a flat one is stuck).
 */
export class ProgressWatch {
  private best = Infinity;
  private bestAt = 0;

  constructor(
    private readonly window = STALL_WINDOW,
    private readonly margin = STALL_MARGIN,
  ) {}

  observe(step: number, loss: number): StopVerdict | null {
    if (!Number.isFinite(loss)) return null; // judgeRecord names this one
    if (loss < this.best * (1 - this.margin)) {
      this.best = loss;
      this.bestAt = step;
      return null;
    }
    if (step - this.bestAt < this.window) return null;
    return {
      reason: 'stalled',
      message: `no progress for ${step - this.bestAt} steps: the lowest loss, ${this.best.toPrecision(3)}, has not fallen by ${this.margin} of itself since step ${this.bestAt}`,
    };
  }
}
