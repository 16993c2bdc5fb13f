import { describe, expect, it } from 'vitest';
import { spectralNormOfDifference } from '../../src/net/measures.ts';
import { DEFAULT_CONFIG } from '../../src/train/config.ts';
import { ProbeHost, type ProbeResult } from '../../src/train/probes.ts';
import { Run } from '../../src/train/run.ts';

/** The probes on a CNN run read its real shapes: W_l is m x (s m), a sample has q m ReLUs per layer. */
function complete(host: ProbeHost, req: Parameters<ProbeHost['start']>[0]): ProbeResult {
  const job = host.start(req);
  let result = job.advance(performance.now() + 1);
  while (!job.done) result = job.advance(performance.now() + 1);
  return result;
}

describe('probes on a CNN run', () => {
  it('flips, distance and kernel probes', () => {
    const run = new Run({ ...DEFAULT_CONFIG, arch: 'cnn', q: 5, d: 2, window: 3, m: 16, n: 6 });
    const host = new ProbeHost(run, 16);
    for (let t = 0; t < 20; t++) {
      run.update();
      host.observe();
    }
    const flips = complete(host, { kind: 'flips', layer: 1 });
    if (flips.kind !== 'flips') throw new Error('not flips');
    expect(flips.m).toBe(5 * 16);
    expect(flips.raster.length).toBe(6 * 5 * 16);
    expect(flips.raster.some((v) => v === 1)).toBe(true);
    const dist = complete(host, { kind: 'distance' });
    if (dist.kind !== 'distance') throw new Error('not distance');
    // the spectral norm of the m x (s m) difference, not of an m x m corner of it
    expect(dist.specPerLayer[0]).toBeCloseTo(spectralNormOfDifference(run.model.params.W[0], run.initial.W[0], 16, 48), 6);
    expect(dist.specPerLayer[0]).not.toBeCloseTo(spectralNormOfDifference(run.model.params.W[0], run.initial.W[0], 16, 16), 3);
    const kernel = complete(host, { kind: 'kernel' });
    if (kernel.kind !== 'kernel') throw new Error('not kernel');
    expect(kernel.N).toBe(6);
  });
});
