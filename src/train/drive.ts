import type { Run, RunRecord } from './run.ts';
import { judgeRecord, type StopVerdict } from './stopRules.ts';

export interface DriveResult<R extends RunRecord = RunRecord> {
  verdict: StopVerdict;
  first: R;
  last: R; // the last record with finite values when the run diverged
  steps: number;
  stepsToEps: number | null; // first step with F <= eps F_0 (exact for full batch), null if never
}

export interface DriveOptions<R> {
  measure?: () => R;
  stopAtEps?: boolean; // stop once F <= eps F_0 (default true); otherwise only record when it happened
}

/**
 * Steps a run to its end in-process (the CLI's loop): a record at step 0 and every `every` steps,
 * and at the end; stops when the loss says converged or diverged, or after `steps` updates.
 */
export function driveRun<R extends RunRecord>(
  run: Run,
  onRecord: (rec: R) => void,
  options: DriveOptions<R> = {},
): DriveResult<R> {
  const measure = options.measure ?? (() => run.evaluate() as R);
  const stopAtEps = options.stopAtEps ?? true;
  const { steps, every, eps } = run.config;
  let stepsToEps: number | null = null;
  // the verdict that ends the run; a 'converged' one only when stopAtEps
  const judge = (rec: RunRecord) => {
    const v = judgeRecord(rec, first.loss, eps, run.lr);
    if (v?.reason === 'converged') {
      stepsToEps ??= rec.step;
      return stopAtEps ? v : null;
    }
    return v;
  };
  const first = measure();
  let last = first;
  onRecord(first);
  let verdict = judge(first);
  while (!verdict) {
    if (run.step >= steps) {
      verdict = { reason: 'steps', message: `reached the step limit of ${steps}` };
      break;
    }
    run.update();
    // Full-batch GD computes F(W_t) for its next update anyway, so stop rules can see every step
    // (exact steps-to-eps); mini-batch runs are judged at records only.
    const stopsHere = run.trainer.fullBatch && judge(run.evaluate()) !== null;
    if (stopsHere || run.step % every === 0 || run.step === steps) {
      const rec = measure();
      onRecord(rec);
      verdict = judge(rec);
      if (verdict?.reason !== 'diverged') last = rec;
    }
  }
  return { verdict, first, last, steps: run.step, stepsToEps };
}
