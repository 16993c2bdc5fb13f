import type { Run, RunRecord } from './run.ts';
import { judgeRecord, ProgressWatch, type StopVerdict } from './stopRules.ts';

export interface StepperOptions<R extends RunRecord> {
  measure?: () => R; // what a record holds (default: loss and gradient norm)
  stopAtEps?: boolean; // stop once F <= eps F_0 (default true); otherwise only note when it happened
}

/**
 * The training loop, in slices: `advance` does as many updates as fit in a time budget and returns
 * the records they made, so a worker stays responsive between slices; driveRun runs it to the end
 * in one go. A record at step 0, every `every` steps, where a stop rule fires, and at the end.
 */
export class RunStepper<R extends RunRecord = RunRecord> {
  private firstRecord: R | null = null;
  private lastRecord: R | null = null;
  private verdictValue: StopVerdict | null = null;
  private readonly measure: () => R;
  private readonly stopAtEps: boolean;
  private readonly progress = new ProgressWatch();
  /** First step with F <= eps F_0 (exact for full batch, at records otherwise); null until then. */
  stepsToEps: number | null = null;

  constructor(
    readonly run: Run,
    options: StepperOptions<R> = {},
  ) {
    this.measure = options.measure ?? (() => run.evaluate() as R);
    this.stopAtEps = options.stopAtEps ?? true;
  }

  get verdict(): StopVerdict | null {
    return this.verdictValue;
  }

  get done(): boolean {
    return this.verdictValue !== null;
  }

  get first(): R | null {
    return this.firstRecord;
  }

  /** The last record with finite values (when the run diverged, the one before it). */
  get last(): R | null {
    return this.lastRecord;
  }

  /** The verdict that ends the run for this record; 'converged' ends it only with stopAtEps. */
  private judge(rec: Parameters<typeof judgeRecord>[0], loss0: number): StopVerdict | null {
    const v = judgeRecord(rec, loss0, this.run.config.eps, this.run.lr) ?? this.progress.observe(rec.step, rec.loss);
    if (v?.reason === 'converged') {
      this.stepsToEps ??= rec.step;
      return this.stopAtEps ? v : null;
    }
    return v;
  }

  private record(rec: R, out: R[], loss0: number): void {
    out.push(rec);
    this.verdictValue = this.judge(rec, loss0);
    if (this.verdictValue?.reason !== 'diverged') this.lastRecord = rec;
  }

  /**
   * Steps until the run ends or `budgetMs` has passed (checked after each update, so every call
   * makes progress). Returns the records made in this slice, oldest first.
   */
  advance(budgetMs: number, now: () => number = () => performance.now()): R[] {
    const { run } = this;
    const { steps, every } = run.config;
    const out: R[] = [];
    const t0 = now();
    if (!this.firstRecord) {
      const first = this.measure();
      this.firstRecord = first;
      this.record(first, out, first.loss);
    }
    const loss0 = this.firstRecord.loss;
    while (!this.verdictValue) {
      if (run.step >= steps) {
        this.verdictValue = { reason: 'steps', message: `reached the step limit of ${steps}` };
        break;
      }
      run.update();
      // Full-batch GD computes F(W_t) for its next update anyway, so the stop rules see every
      // step (exact steps-to-eps); mini-batch runs are judged at records only.
      const stopsHere =
        run.trainer.fullBatch && this.judge({ step: run.step, loss: run.trainer.loss() }, loss0) !== null;
      if (stopsHere || run.step % every === 0 || run.step === steps) this.record(this.measure(), out, loss0);
      if (now() - t0 >= budgetMs) break;
    }
    return out;
  }
}
