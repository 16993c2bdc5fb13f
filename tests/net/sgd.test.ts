import { describe, expect, test } from 'vitest';
import type { Model } from '../../src/net/model.ts';
import { cloneParams, trainedTensors, type Params } from '../../src/net/network.ts';
import { Rng } from '../../src/net/rng.ts';
import { Trainer } from '../../src/net/sgd.ts';
import { buildModel, type Case } from './helpers.ts';

/** Records the rows of every mini-batch gradient the trainer asks the model for. */
function captureBatches(model: Model): number[][] {
  const batches: number[][] = [];
  const original = model.lossAndGrad.bind(model);
  model.lossAndGrad = (grads: Params, rows: Int32Array | null = null, scale = 1) => {
    if (rows) batches.push(Array.from(rows));
    return original(grads, rows, scale);
  };
  return batches;
}

const base: Case = { arch: 'fc', L: 2, d: 4, m: 12, n: 10, dOut: 2, trainA: true, trainB: false, seed: 21 };

describe('Trainer', () => {
  test('a full-batch step is W - eta grad F(W), on the trained tensors only', () => {
    const { model, spec } = buildModel(base, 'f32');
    const before = cloneParams(model.params);
    const grads = model.allocGrads();
    model.lossAndGrad(grads);
    const eta = 0.05;
    const trainer = new Trainer(model, { lr: eta, batch: 10 }, new Rng(1, 'batch'));
    expect(trainer.fullBatch).toBe(true);
    trainer.update();
    expect(trainer.step).toBe(1);
    const w0 = trainedTensors(spec, before);
    const g = trainedTensors(spec, grads);
    trainedTensors(spec, model.params).forEach((w, t) => {
      const want = Float32Array.from(w0[t], (v, i) => v - eta * g[t][i]);
      expect(Array.from(w)).toEqual(Array.from(want));
    });
    expect(Array.from(model.params.B)).toEqual(Array.from(before.B)); // B is not trained here
  });

  test('a mini-batch step is W - eta (n/b) grad F_S(W)', () => {
    const { model, spec, data } = buildModel(base, 'f32');
    const shadow = buildModel(base, 'f32').model; // same data and weights
    const batches = captureBatches(model);
    const eta = 0.05;
    const trainer = new Trainer(model, { lr: eta, batch: 4 }, new Rng(2, 'batch'));
    for (let s = 0; s < 3; s++) {
      const grads = shadow.allocGrads();
      trainer.update();
      const rows = Int32Array.from(batches[s]);
      shadow.lossAndGrad(grads, rows, data.n / 4);
      const ws = trainedTensors(spec, shadow.params);
      const gs = trainedTensors(spec, grads);
      ws.forEach((w, t) => {
        for (let i = 0; i < w.length; i++) w[i] -= eta * gs[t][i];
      });
      trainedTensors(spec, model.params).forEach((w, t) => expect(Array.from(w)).toEqual(Array.from(ws[t])));
    }
  });

  test('when b divides n, each epoch visits every sample once, in a new order', () => {
    const { model } = buildModel(base, 'f32');
    const batches = captureBatches(model);
    const trainer = new Trainer(model, { lr: 0.01, batch: 5 }, new Rng(3, 'batch'));
    for (let s = 0; s < 8; s++) trainer.update();
    const epochs = [0, 1, 2, 3].map((e) => [...batches[2 * e], ...batches[2 * e + 1]]);
    for (const e of epochs) expect([...e].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(epochs.map((e) => e.join(','))).size).toBe(4);
  });

  test('when b does not divide n, batches never repeat a sample and every sample comes up equally often', () => {
    for (const [n, b] of [
      [10, 4],
      [10, 3],
      [7, 6],
      [5, 5 - 1],
    ]) {
      const { model } = buildModel({ ...base, n }, 'f32');
      const batches = captureBatches(model);
      const trainer = new Trainer(model, { lr: 0.001, batch: b }, new Rng(n * b, 'batch'));
      const epochs = 6;
      const steps = (epochs * n) / b;
      for (let s = 0; s < Math.floor(steps); s++) trainer.update();
      for (const batch of batches) expect(new Set(batch).size, `n=${n} b=${b} batch ${batch}`).toBe(b);
      const rows = batches.flat();
      // a whole number of epochs drawn: every sample appears the same number of times
      const whole = Math.floor(rows.length / n) * n;
      const counts = new Array(n).fill(0);
      for (const r of rows.slice(0, whole)) counts[r]++;
      expect(new Set(counts).size, `n=${n} b=${b} counts ${counts}`).toBe(1);
    }
  });
});
