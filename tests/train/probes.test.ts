import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/train/config.ts';
import { ProbeHost, type ProbeResult } from '../../src/train/probes.ts';
import { Run } from '../../src/train/run.ts';

function trainedHost(steps: number) {
  const run = new Run({ ...DEFAULT_CONFIG, m: 32, n: 8, d: 4 });
  const host = new ProbeHost(run, 16);
  for (let t = 0; t < steps; t++) {
    run.update();
    host.observe();
  }
  return { run, host };
}

function complete(host: ProbeHost, req: Parameters<ProbeHost['start']>[0]): { result: ProbeResult; installments: number } {
  const job = host.start(req);
  let result = job.advance(performance.now() + 1);
  let installments = 1;
  while (!job.done) {
    result = job.advance(performance.now() + 1);
    installments++;
  }
  return { result, installments };
}

describe('probes', () => {
  it('outputs probe: targets, outputs now (target + residual of the run) and at init, without moving the run', () => {
    const { run, host } = trainedHost(30);
    const lossBefore = run.model.loss(null);
    const residual = Float64Array.from(run.model.residual.subarray(0, 8));
    const { result } = complete(host, { kind: 'outputs' });
    if (result.kind !== 'outputs') throw new Error('not outputs');
    expect(result.step).toBe(30);
    expect(result.N).toBe(8);
    expect(Array.from(result.targets)).toEqual(Array.from(run.data.Y));
    for (let i = 0; i < 8; i++) expect(result.outputs[i]).toBeCloseTo(run.data.Y[i] + residual[i], 5);
    expect(run.model.loss(null)).toBe(lossBefore);
    // half the squared distance to the targets is the loss: smaller now than at init
    const half = (o: Float64Array) => o.reduce((s, v, i) => s + 0.5 * (v - result.targets[i]) ** 2, 0);
    expect(half(result.outputs)).toBeCloseTo(lossBefore, 4);
    expect(half(result.outputs)).toBeLessThan(half(result.outputs0));
    const fresh = new Run({ ...DEFAULT_CONFIG, m: 32, n: 8, d: 4 });
    const at0 = complete(new ProbeHost(fresh, 4), { kind: 'outputs' }).result;
    if (at0.kind !== 'outputs') throw new Error('not outputs');
    expect(Array.from(at0.outputs)).toEqual(Array.from(result.outputs0));
    expect(Array.from(at0.outputs0)).toEqual(Array.from(at0.outputs));
  });

  it('a grid at the current point is centered on F(W_t) and fills in installments without moving the run', () => {
    const { run, host } = trainedHost(20);
    const lossBefore = run.evaluate().loss;
    for (const plane of ['gradient-curvature', 'random', 'pca'] as const) {
      const { result, installments } = complete(host, { kind: 'grid', plane, scale: 'ball', resolution: 9 });
      if (result.kind !== 'grid') throw new Error('not a grid');
      expect(result.filled).toBe(81);
      expect(result.values[40]).toBe(run.model.loss(null));
      expect(installments).toBeGreaterThan(1);
      if (plane === 'pca') {
        expect(result.path!.length).toBe(2 * result.pathSteps!.length);
        expect(result.explained![0]).toBeGreaterThan(0.5);
      }
      if (plane === 'gradient-curvature') expect(result.curvature).not.toBeNull();
    }
    expect(run.evaluate().loss).toBe(lossBefore);
  });

  it('a grid at an earlier step is centered on that snapshot', () => {
    const { run, host } = trainedHost(30);
    const { result } = complete(host, { kind: 'grid', plane: 'random', scale: 'unit', resolution: 5, atStep: 0 });
    if (result.kind !== 'grid') throw new Error('not a grid');
    expect(result.step).toBe(0);
    expect(result.extent).toBe(1);
    const fresh = new Run({ ...DEFAULT_CONFIG, m: 32, n: 8, d: 4 });
    expect(result.values[12]).toBeCloseTo(fresh.evaluate().loss, 5);
    expect(run.step).toBe(30);
  });

  it('kernel probe: K_0 at step 0, predicted residual equals the actual one at step 0 and stays near it', () => {
    const { run, host } = trainedHost(0);
    const { result: r0 } = complete(host, { kind: 'kernel' });
    if (r0.kind !== 'kernel') throw new Error('not a kernel');
    expect(Array.from(r0.predicted)).toEqual(Array.from(r0.residual));
    expect(Array.from(r0.Kt)).toEqual(Array.from(r0.K0));
    for (let t = 0; t < 10; t++) run.update();
    const { result: r10 } = complete(host, { kind: 'kernel' });
    if (r10.kind !== 'kernel') throw new Error('not a kernel');
    expect(r10.step).toBe(10);
    const norm = (v: Float64Array) => Math.hypot(...v);
    expect(norm(r10.residual)).toBeLessThan(norm(r0.residual));
    const diff = r10.residual.map((x, i) => x - r10.predicted[i]);
    expect(norm(diff)).toBeLessThan(0.5 * norm(r0.residual));
  });

  it('distance probe: per layer Frobenius and spectral distance from init (matching the instruments), and the init weights\u2019 spectral norm near 2\u221a2', () => {
    const { run, host } = trainedHost(20);
    const { result } = complete(host, { kind: 'distance' });
    if (result.kind !== 'distance') throw new Error('not a distance');
    expect(result.step).toBe(20);
    expect(result.specPerLayer.length).toBe(run.spec.L);
    const rec = run.evaluate();
    void rec;
    const fro = Math.hypot(...result.froPerLayer);
    expect(fro).toBeGreaterThan(0);
    for (let l = 0; l < run.spec.L; l++) {
      expect(result.specPerLayer[l]).toBeGreaterThan(0);
      expect(result.specPerLayer[l]).toBeLessThanOrEqual(result.froPerLayer[l] * (1 + 1e-6));
      // N(0, 2/m) entries: ||W_0||_2 -> 2 sqrt(2) as m grows (m = 32 here: within 25%)
      expect(Math.abs(result.initSpecPerLayer[l] - 2 * Math.SQRT2)).toBeLessThan(0.25 * 2 * Math.SQRT2);
    }
  });

  it('slice, flips and interpolation', () => {
    const { run, host } = trainedHost(15);
    const { result: s } = complete(host, { kind: 'slice', sValues: [0, 0.01, 0.1] });
    if (s.kind !== 'slice') throw new Error();
    expect(s.loss[0]).toBe(run.evaluate().loss);
    const { result: f } = complete(host, { kind: 'flips', layer: 2 });
    if (f.kind !== 'flips') throw new Error();
    expect(f.raster.length).toBe(8 * 32);
    const { result: i } = complete(host, { kind: 'interpolation', alphas: [0, 1] });
    if (i.kind !== 'interpolation') throw new Error();
    expect(i.loss[1]).toBeLessThan(i.loss[0]);
  });
});
