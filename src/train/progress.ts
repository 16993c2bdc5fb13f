/**
 * How far along a run is, in [0, 1], for progress bars: the larger of the share of the step limit
 * used and the share of the way, on a log scale, from F_0 down to the target eps F_0. (A run that
 * converges finishes long before its step limit; one that stalls finishes at it.)
 */
export function runProgress(step: number, stepLimit: number, loss0: number, loss: number, eps: number): number {
  const bySteps = stepLimit > 0 ? step / stepLimit : 1;
  const byLoss = eps > 0 && eps < 1 && loss0 > 0 && loss > 0 ? Math.log(loss0 / loss) / Math.log(1 / eps) : 0;
  const p = Math.max(bySteps, byLoss);
  return Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
}
