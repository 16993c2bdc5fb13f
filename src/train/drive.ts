import type { Run, RunRecord } from './run.ts';
import { judgeRecord, type StopVerdict } from './stopRules.ts';

export interface DriveResult {
  verdict: StopVerdict;
  first: RunRecord;
  last: RunRecord; // the last record with finite values when the run diverged
  steps: number;
}

/**
 * Steps a run to its end in-process (the CLI's loop): a record at step 0 and every `every` steps,
 * and at the end; stops when a record says converged or diverged, or after `steps` updates.
 */
export function driveRun(run: Run, onRecord: (rec: RunRecord) => void): DriveResult {
  const { steps, every, eps } = run.config;
  const first = run.evaluate();
  let last = first;
  onRecord(first);
  let verdict = judgeRecord(first, first.loss, eps, run.lr);
  while (!verdict) {
    if (run.step >= steps) {
      verdict = { reason: 'steps', message: `reached the step limit of ${steps}` };
      break;
    }
    run.update();
    if (run.step % every === 0 || run.step === steps) {
      const rec = run.evaluate();
      onRecord(rec);
      verdict = judgeRecord(rec, first.loss, eps, run.lr);
      if (verdict?.reason !== 'diverged') last = rec;
    }
  }
  return { verdict, first, last, steps: run.step };
}
