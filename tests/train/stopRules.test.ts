import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';
import { Run } from '../../src/train/run.ts';
import { RunStepper } from '../../src/train/stepper.ts';
import { judgeRecord, ProgressWatch, STALL_MARGIN, STALL_WINDOW } from '../../src/train/stopRules.ts';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

/** Trains to the end; for a run found dead, also the loss after 50 more updates (a dead network cannot move). */
function runToEnd(config: RunConfig): { reason: string; step: number; loss: number; lossLater: number } {
  const run = new Run(config);
  const stepper = new RunStepper(run);
  while (!stepper.done) stepper.advance(Infinity);
  const loss = stepper.last!.loss;
  let lossLater = NaN;
  if (stepper.verdict!.reason === 'dead') {
    for (let i = 0; i < 50; i++) run.update();
    lossLater = run.evaluate().loss;
  }
  return { reason: stepper.verdict!.reason, step: run.step, loss, lossLater };
}

describe('runs that go wrong are named', () => {
  it('too large a step kills or blows up the network, and each of 20 seeded runs per step size is stopped saying which, at once', () => {
    // 30 / lambda_max: a catapult some runs survive (they converge), others die; 1000 / lambda_max: death or divergence
    const tally: Record<string, number> = {};
    for (const lrScale of [30, 1000])
      for (const seed of SEEDS) {
        const every = 10;
        const r = runToEnd({ ...DEFAULT_CONFIG, m: 64, lrScale, steps: 20_000, every, dataSeed: seed, initSeed: seed, batchSeed: seed });
        tally[`c=${lrScale} ${r.reason}`] = (tally[`c=${lrScale} ${r.reason}`] ?? 0) + 1;
        expect(['converged', 'dead', 'diverged', 'stalled']).toContain(r.reason);
        expect(r.step).toBeLessThan(20_000);
        // named within one record of happening, never left to run into the step limit
        if (r.reason === 'diverged') expect(r.step).toBeLessThanOrEqual(2 * every);
        // a dead network is stuck for good: 50 more updates leave its loss exactly where it was
        if (r.reason === 'dead') expect(r.lossLater).toBe(r.loss);
      }
    console.log('20 seeds per step size:', JSON.stringify(tally));
    const count = (reason: string) => Object.entries(tally).reduce((s, [k, v]) => s + (k.endsWith(reason) ? v : 0), 0);
    expect(count('dead')).toBeGreaterThan(0);
    expect(count('diverged')).toBeGreaterThan(0);
  });

  it('the same 20 seeds at the essay step size converge (the rules do not fire on healthy runs)', () => {
    for (const seed of SEEDS) {
      const r = runToEnd({ ...DEFAULT_CONFIG, m: 64, steps: 20_000, dataSeed: seed, initSeed: seed, batchSeed: seed });
      expect(r.reason).toBe('converged');
    }
  });

  it('judgeRecord: a zero gradient at a positive loss is a dead network; at zero loss it is not', () => {
    expect(judgeRecord({ step: 5, loss: 3, gradNorm: 0 }, 3, 1e-3, 0.1)?.reason).toBe('dead');
    expect(judgeRecord({ step: 5, loss: 0, gradNorm: 0 }, 3, 1e-3, 0.1)?.reason).toBe('converged');
    expect(judgeRecord({ step: 5, loss: 3, gradNorm: 1e-30 }, 3, 1e-3, 0.1)).toBeNull();
    expect(judgeRecord({ step: 5, loss: 3 }, 3, 1e-3, 0.1)).toBeNull(); // no gradient known: no verdict on it
  });

  it('ProgressWatch: a flat loss stalls after the window; a falling one, however slowly, does not', () => {
    const flat = new ProgressWatch();
    let verdict = null;
    let step = 0;
    for (; step <= STALL_WINDOW + 10 && !verdict; step++) verdict = flat.observe(step, 2 + 1e-7 * Math.sin(step));
    expect(verdict?.reason).toBe('stalled');
    expect(step - 1).toBe(STALL_WINDOW);
    const slow = new ProgressWatch();
    for (let s = 0; s <= 5 * STALL_WINDOW; s++) expect(slow.observe(s, 2 * (1 - 2 * STALL_MARGIN / STALL_WINDOW) ** s)).toBeNull();
  });
});
