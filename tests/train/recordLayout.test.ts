import { describe, expect, it } from 'vitest';
import { BASE_FIELDS, packRecords, RecordBatch, recordLayout, unpackRecords } from '../../src/train/recordLayout.ts';

describe('record layout', () => {
  it('is the base fields, then each switched-on measurement in a fixed order', () => {
    expect(recordLayout()).toEqual(['step', 'loss', 'gradNorm']);
    expect(recordLayout({ flips: true, pl: true })).toEqual(['step', 'loss', 'gradNorm', 'plRatio', 'flipFrac']);
    expect(recordLayout({ rho: true, dist: true })).toEqual([...BASE_FIELDS, 'rho', 'rhoLinear', 'rhoRelu', 'distFro', 'distRel']);
  });

  it('packs records column by column; a missing measurement is NaN', () => {
    const layout = recordLayout({ pl: true, rho: true });
    const data = packRecords(
      [
        { step: 0, loss: 4, gradNorm: 2, plRatio: 1, rho: 0.5, rhoLinear: 0.25, rhoRelu: 0.25 },
        { step: 1, loss: 2, gradNorm: 1, plRatio: 0.5 }, // rho skipped (as when F = 0)
      ],
      layout,
    );
    expect(data.length).toBe(2 * layout.length);
    const batch = new RecordBatch(layout, data);
    expect(batch.count).toBe(2);
    expect(batch.get(1, 'loss')).toBe(2);
    expect(batch.get(0, 'rhoRelu')).toBe(0.25);
    expect(batch.get(1, 'rho')).toBeNaN();
    expect(batch.has('flipFrac')).toBe(false);
    expect(batch.get(0, 'flipFrac')).toBeNaN();
  });

  it('round-trips the base layout', () => {
    const recs = [{ step: 0, loss: 11.5, gradNorm: 80.25 }, { step: 10, loss: 0.5, gradNorm: 2 }];
    expect(unpackRecords(packRecords(recs))).toEqual(recs);
  });
});
