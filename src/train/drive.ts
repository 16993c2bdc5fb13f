import type { Run, RunRecord } from './run.ts';
import { RunStepper, type StepperOptions } from './stepper.ts';
import type { StopVerdict } from './stopRules.ts';

export interface DriveResult<R extends RunRecord = RunRecord> {
  verdict: StopVerdict;
  first: R;
  last: R; // the last record with finite values when the run diverged
  steps: number;
  stepsToEps: number | null; // first step with F <= eps F_0 (exact for full batch), null if never
}

/** Runs to the end in-process (the CLI's loop): the stepper's loop with no time budget. */
export function driveRun<R extends RunRecord>(
  run: Run,
  onRecord: (rec: R) => void,
  options: StepperOptions<R> = {},
): DriveResult<R> {
  const stepper = new RunStepper<R>(run, options);
  while (!stepper.done) for (const rec of stepper.advance(Infinity)) onRecord(rec);
  return {
    verdict: stepper.verdict!,
    first: stepper.first!,
    last: stepper.last!,
    steps: run.step,
    stepsToEps: stepper.stepsToEps,
  };
}
