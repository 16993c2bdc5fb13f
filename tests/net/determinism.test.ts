import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/net/rng.ts';
import type { RunConfig } from '../../src/train/config.ts';
import { Run } from '../../src/train/run.ts';
import { smallConfig } from './helpers.ts';

/** Losses F(W_0), ..., F(W_steps) of a run, and its final weights. */
function trajectory(config: RunConfig, steps = 30): { losses: number[]; run: Run } {
  const run = new Run(config);
  const losses = [run.evaluate().loss];
  for (let s = 0; s < steps; s++) {
    run.update();
    losses.push(run.evaluate().loss);
  }
  return { losses, run };
}

function bitwiseEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

const modes: [string, Partial<RunConfig>][] = [
  ['full-batch GD, eta = c / lambda_max(K_0)', { batch: 0, lr: null, lrScale: 0.5 }],
  ['mini-batch SGD (batch 3), explicit eta', { batch: 3, lr: 0.01 }],
  ['ResNet, trainA and trainB, mini-batch 5', { arch: 'resnet', trainA: true, trainB: true, batch: 5, lr: 0.01, dOut: 2 }],
];

describe.each(modes)('determinism: %s', (_name, over) => {
  const config = smallConfig({ dataSeed: 3, initSeed: 4, batchSeed: 5, ...over });

  test('the same config gives bitwise-identical losses and weights', () => {
    const a = trajectory(config);
    const b = trajectory({ ...config });
    expect(a.losses.length).toBe(31);
    expect(a.losses.every(Number.isFinite)).toBe(true);
    expect(a.losses[30]).toBeLessThan(a.losses[0]); // it trains, so the sequence is not trivially constant
    expect(bitwiseEqual(a.losses, b.losses)).toBe(true);
    expect(a.losses).toEqual(b.losses);
    expect(a.run.lr).toBe(b.run.lr);
    a.run.model.params.W.forEach((w, l) => expect(sameBytes(w, b.run.model.params.W[l])).toBe(true));
  });

  test('a different init seed changes the losses', () => {
    const a = trajectory(config, 5);
    const b = trajectory({ ...config, initSeed: config.initSeed + 1 }, 5);
    expect(a.losses.every((v, i) => v !== b.losses[i])).toBe(true);
  });
});

describe('seed streams are independent', () => {
  const config = smallConfig({ dataSeed: 3, initSeed: 4, batchSeed: 5, batch: 3, lr: 0.01 });
  const base = new Run(config);

  test('changing initSeed leaves X and Y unchanged and changes the weights', () => {
    const other = new Run({ ...config, initSeed: 99 });
    expect(sameBytes(other.data.X, base.data.X)).toBe(true);
    expect(sameBytes(other.data.Y, base.data.Y)).toBe(true);
    expect(sameBytes(other.initial.A, base.initial.A)).toBe(false);
    expect(sameBytes(other.initial.W[0], base.initial.W[0])).toBe(false);
  });

  test('changing dataSeed leaves the initial weights unchanged and changes the data', () => {
    const other = new Run({ ...config, dataSeed: 99 });
    expect(sameBytes(other.data.X, base.data.X)).toBe(false);
    expect(sameBytes(other.data.Y, base.data.Y)).toBe(false);
    expect(sameBytes(other.initial.A, base.initial.A)).toBe(true);
    other.initial.W.forEach((w, l) => expect(sameBytes(w, base.initial.W[l])).toBe(true));
    expect(sameBytes(other.initial.B, base.initial.B)).toBe(true);
  });

  test('changing batchSeed keeps data, init and F(W_0) but changes the SGD path', () => {
    const a = trajectory(config, 6);
    const b = trajectory({ ...config, batchSeed: 99 }, 6);
    expect(sameBytes(b.run.data.X, a.run.data.X)).toBe(true);
    expect(sameBytes(b.run.initial.W[1], a.run.initial.W[1])).toBe(true);
    expect(Object.is(a.losses[0], b.losses[0])).toBe(true);
    expect(bitwiseEqual(a.losses, b.losses)).toBe(false);
  });

  test('the same seed number gives unrelated sequences on different streams', () => {
    const names = ['data', 'init', 'batch', 'landscape'] as const;
    const seqs = names.map((name) => {
      const r = new Rng(7, name);
      return Array.from({ length: 8 }, () => r.nextUint32());
    });
    for (let a = 0; a < seqs.length; a++)
      for (let b = a + 1; b < seqs.length; b++) expect(seqs[a].filter((v, i) => v === seqs[b][i]).length).toBe(0);
    // and a stream with the same seed repeats itself
    const again = new Rng(7, 'init');
    expect(Array.from({ length: 8 }, () => again.nextUint32())).toEqual(seqs[1]);
  });
});

describe('Rng.fillNormal', () => {
  test('gives exactly sd * normal(), value for value, across odd lengths and a spare left pending', () => {
    const a = new Rng(3, 'init');
    const b = new Rng(3, 'init');
    for (const len of [5, 7, 1, 0, 8, 1, 1, 1000, 3]) {
      const filled = new Float64Array(len);
      a.fillNormal(filled, 0.7);
      const drawn = Array.from({ length: len }, () => Math.sqrt(0.7) * b.normal());
      expect(bitwiseEqual(Array.from(filled), drawn)).toBe(true);
    }
    expect(a.normal()).toBe(b.normal()); // both streams are at the same place afterwards
  });
});
