import type { Dataset, LabelKind } from '../../src/net/data.ts';
import { referenceKernels, type MatrixKernels } from '../../src/net/kernels.ts';
import { Model } from '../../src/net/model.ts';
import { initParams, type NetSpec } from '../../src/net/network.ts';
import { Rng } from '../../src/net/rng.ts';
import { makeSequenceDataset } from '../../src/net/rnnData.ts';
import type { Precision } from '../../src/net/tensor.ts';

export interface RnnCase {
  T: number;
  d: number;
  m: number;
  n: number;
  dOut: number;
  seed: number;
  labels?: LabelKind;
}

export function rnnSpec(c: RnnCase): NetSpec {
  return { arch: 'rnn', d: c.d, m: c.m, L: 1, dOut: c.dOut, tau: 0, trainA: false, trainB: false, T: c.T };
}

/** An RNN model on fresh sequence data, weights from the init stream. */
export function buildRnn(c: RnnCase, precision: Precision, kernels: MatrixKernels = referenceKernels): { model: Model; data: Dataset; spec: NetSpec } {
  const spec = rnnSpec(c);
  const data = makeSequenceDataset({ n: c.n, d: c.d, dOut: c.dOut, labels: c.labels ?? 'gaussian', T: c.T }, new Rng(c.seed, 'data'));
  const params = initParams(spec, new Rng(c.seed, 'init'), precision);
  return { model: new Model(spec, params, kernels, data, precision), data, spec };
}

export function rnnLabel(c: RnnCase): string {
  return `rnn T=${c.T} d=${c.d} m=${c.m} n=${c.n} dOut=${c.dOut} seed=${c.seed}`;
}
