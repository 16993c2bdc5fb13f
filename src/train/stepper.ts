import type { Run, RunRecord } from './run.ts';
import { judgeRecord, type StopVerdict } from './stopRules.ts';

/**
 * driveRun's loop cut into slices: `advance` does as many updates as fit in a time budget and
 * returns the records they made, so a worker can stay responsive between slices. Records and
 * verdicts are the same as driveRun's (with its defaults): a record at step 0, every `every`
 * steps, and at the end. tests/train/stepper.test.ts checks that the two loops agree.
 */
export class RunStepper {
  private first: RunRecord | null = null;
  private verdictValue: StopVerdict | null = null;

  constructor(readonly run: Run) {}

  get verdict(): StopVerdict | null {
    return this.verdictValue;
  }

  get done(): boolean {
    return this.verdictValue !== null;
  }

  /**
   * Steps until the run ends or `budgetMs` has passed (checked after each update, so every call
   * makes progress). Returns the records made in this slice, oldest first.
   */
  advance(budgetMs: number, now: () => number = () => performance.now()): RunRecord[] {
    const { run } = this;
    const { steps, every, eps } = run.config;
    const out: RunRecord[] = [];
    const t0 = now();
    if (!this.first) {
      const first = run.evaluate();
      this.first = first;
      out.push(first);
      this.verdictValue = judgeRecord(first, first.loss, eps, run.lr);
    }
    const loss0 = this.first.loss;
    while (!this.verdictValue) {
      if (run.step >= steps) {
        this.verdictValue = { reason: 'steps', message: `reached the step limit of ${steps}` };
        break;
      }
      run.update();
      // As in driveRun: full-batch GD computes F(W_t) for its next update anyway, so the stop
      // rules see every step; mini-batch runs are judged at records only.
      const stopsHere = run.trainer.fullBatch && judgeRecord(run.evaluate(), loss0, eps, run.lr) !== null;
      if (stopsHere || run.step % every === 0 || run.step === steps) {
        const rec = run.evaluate();
        out.push(rec);
        this.verdictValue = judgeRecord(rec, loss0, eps, run.lr);
      }
      if (now() - t0 >= budgetMs) break;
    }
    return out;
  }
}
