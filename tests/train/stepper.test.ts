import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';
import { driveRun } from '../../src/train/drive.ts';
import { packRecords, RECORD_STRIDE, unpackRecords } from '../../src/train/protocol.ts';
import { Run, type RunRecord } from '../../src/train/run.ts';
import { RunStepper } from '../../src/train/stepper.ts';

const SMALL: RunConfig = { ...DEFAULT_CONFIG, d: 4, m: 16, n: 6, steps: 60, every: 7, eps: 1e-3 };

function sliced(config: RunConfig, budgetMs: number): { recs: RunRecord[]; stepper: RunStepper; slices: number } {
  const stepper = new RunStepper(new Run(config));
  const recs: RunRecord[] = [];
  let slices = 0;
  while (!stepper.done) {
    recs.push(...stepper.advance(budgetMs));
    slices++;
  }
  return { recs, stepper, slices };
}

describe('RunStepper (the worker loop)', () => {
  it('makes the same records and verdict as driveRun, however the work is sliced', () => {
    for (const config of [SMALL, { ...SMALL, eps: 0 }, { ...SMALL, batch: 2, eps: 0 }]) {
      const expected: RunRecord[] = [];
      const result = driveRun(new Run(config), (r) => expected.push(r));
      const { recs, stepper, slices } = sliced(config, 0);
      expect(recs).toEqual(expected);
      expect(stepper.verdict).toEqual(result.verdict);
      expect(slices).toBeGreaterThan(1); // a zero budget still makes one update per slice
    }
  });

  it('does several steps per slice within the time budget', () => {
    let t = 0;
    const stepper = new RunStepper(new Run({ ...SMALL, eps: 0 }));
    const clock = () => (t += 1); // each reading advances a fake clock by 1 ms
    const recs = stepper.advance(10, clock);
    expect(stepper.run.step).toBe(10);
    expect(recs.map((r) => r.step)).toEqual([0, 7]);
  });

  it('stops a diverging run', () => {
    const { stepper } = sliced({ ...SMALL, lr: 1e5, eps: 0 }, 5);
    expect(stepper.verdict?.reason).toBe('diverged');
  });
});

describe('record packing', () => {
  it('round-trips through a Float32Array of RECORD_STRIDE numbers per record', () => {
    const recs = [
      { step: 0, loss: 11.5, gradNorm: 80.25 },
      { step: 10, loss: 0.5, gradNorm: 2 },
    ];
    const data = packRecords(recs);
    expect(data.length).toBe(2 * RECORD_STRIDE);
    expect(unpackRecords(data)).toEqual(recs);
  });
});
