import { describe, expect, it } from 'vitest';
import { gbConfig, gbWidth, gradientBoundView, recordsAboveFloor } from '../../src/essay/figures/gradientBoundFigure.ts';
import { RunSet, type RunSetOptions } from '../../src/essay/figures/runSet.ts';
import type { RecordField } from '../../src/train/recordLayout.ts';
import type { MeasuredRecord } from '../../src/train/instruments.ts';
import { FakePool, recs } from './fakePool.ts';

/** A run set on a fake pool, on screen, and a way to play each run's worker. */
function runs<T = undefined>(o: Partial<RunSetOptions<T>> & { fields?: readonly RecordField[] } = {}) {
  const pool = new FakePool();
  const set = new RunSet<T>({ pool, onChange: () => {}, ...o });
  set.resume();
  return { pool, set };
}

describe('gradient-bound view', () => {
  it('finds each ended run’s smallest PL ratio over m, counts records above their floor, and fits the widths', () => {
    const { pool, set } = runs({ measures: { pl: true, ntk: true }, fields: ['gradNorm', 'plRatio', 'twoLambdaMin'] });
    const ms = [32, 64, 128, 256];
    set.startAll(ms.map((m) => ({ key: `m${m}`, config: gbConfig(m, 2, 1) })));
    set.runs.forEach((r, k) => {
      const m = ms[k];
      pool.started(r.handle);
      // PL ratio m * (2, 1.5, 1) over the records; the floor 1.2 m: the last record falls below it
      pool.records(r.handle, recs([0, 1, 2], (s): Partial<MeasuredRecord> => ({ plRatio: m * [2, 1.5, 1][s], twoLambdaMin: 1.2 * m })));
      if (k < 3) pool.done(r.handle, 'converged', 2);
    });
    const w = gbWidth(set.runs[0]);
    expect(w.plMinPerM).toBe(1);
    expect(w.floor).toBeCloseTo(1.2 * 32, 3);
    expect(w.floor0PerM).toBeCloseTo(1.2, 5);
    expect(w.note).toBe('converged in 2 steps');
    expect(gbWidth(set.runs[3]).plMinPerM).toBeNaN(); // still training
    expect(recordsAboveFloor(set.runs)).toEqual({ above: 8, total: 12 });
    const v = gradientBoundView(set.runs, 2, 1, 'status');
    expect(v.caption).toContain('8 of 12 records lie on or above their floor.');
    expect(v.fit?.slope).toBeCloseTo(0, 6); // PL / m is level
    expect(v.binds['gradient-bound.above']).toBe('8 of 12');
    expect(v.binds['gradient-bound.mNarrow']).toBe('32');
    expect(v.binds['gradient-bound.mWide']).toBe('128');
    expect(v.binds['gradient-bound.verdict']).toBeUndefined(); // four finished widths needed
    expect(v.numbers).toMatch(/^m = 32: min PL\/m = 1 · m = 64: /);
  });
});
