import type { RunRecord } from './run.ts';

/*
 * What a record can carry, as names and types only: the page's main thread reads records by these
 * names (recordLayout.ts) without loading the code that measures them (instruments.ts, the network
 * core), which runs in the worker.
 */

/** Which measurements a record carries; each costs time, so a page turns on only what it shows. */
export interface MeasureSwitches {
  pl: boolean; // ||g||^2 / F
  ntk: boolean; // lambda_min/max(K_t), 2 lambda_min(K_t), NTK drift (an n dOut square kernel per record)
  rho: boolean; // semi-smoothness residual and its split (one extra forward pass and a J g product)
  dist: boolean; // Frobenius distance from init
  spec: boolean; // spectral distance per layer (power iterations on m x m)
  flips: boolean; // ReLU sign flips since init
  test: boolean; // test loss on the teacher's held-out points (a forward pass over them; runs with a teacher only)
  kernel: boolean; // the K_0 kernel predictor's test loss (computed once, a kernel over n + nTest points; then repeated)
}

export const MEASURE_NAMES = ['pl', 'ntk', 'rho', 'dist', 'spec', 'flips', 'test', 'kernel'] as const satisfies readonly (keyof MeasureSwitches)[];

export const ALL_MEASURES: MeasureSwitches = { pl: true, ntk: true, rho: true, dist: true, spec: true, flips: true, test: true, kernel: true };
export const NO_MEASURES: MeasureSwitches = { pl: false, ntk: false, rho: false, dist: false, spec: false, flips: false, test: false, kernel: false };

export interface MeasuredRecord extends RunRecord {
  plRatio?: number;
  lambdaMin?: number;
  lambdaMax?: number;
  twoLambdaMin?: number; // 2 lambda_min(K_t): the floor of the PL ratio
  ntkDrift?: number;
  rho?: number;
  rhoLinear?: number;
  rhoRelu?: number;
  distFro?: number;
  distRel?: number;
  distSpec?: number;
  distSpecPerLayer?: number[];
  flipFrac?: number;
  flipFracPerLayer?: number[];
  testLoss?: number; // mean over test points of 1/2 ||prediction - f*(x)||^2 (src/train/generalization.ts)
  trainLossMean?: number; // the same mean over the training points
  kernelTestLoss?: number; // the test loss of kernel regression with K_0 (the same at every step)
}
