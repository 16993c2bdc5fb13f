import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CANONICAL, shapeName, stepFlops } from '../../src/bench/steps.ts';

const tsx = 'node_modules/.bin/tsx';

function bench(args: string[]) {
  const r = spawnSync(tsx, ['src/cli/bench.ts', ...args], { encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bench CLI', () => {
  it('--json prints the cases, the roofline of the canonical step and the rounds, as the README says', () => {
    const r = bench(['--json', '--widths', '64', '--impls', 'core+wasm,core+ts', '--no-loop', '--reps', '5', '--rounds', '1']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      cases: { env: string; impl: string; shape: string; m: number; msPerStep: number; gflops: number; reps: number }[];
      rounds: { numpy: number | null; coreWasm: number | null; tfjsWasmHand: number | null; numpyCpu?: number; coreWasmCpu?: number }[];
      roofline: { env: string; peakGflops: number; nominalGflop: number; activeGflop: number; activeFraction: number; floorMs: number; coreWasmMs: number | null };
    };
    expect(out.cases.map((c) => c.impl)).toEqual(['core+wasm', 'core+ts']);
    const shape = { ...CANONICAL, m: 64 };
    for (const c of out.cases) {
      expect(c.env).toMatch(/^node-\d+/);
      expect(c.shape).toBe(shapeName(shape));
      expect(c.reps).toBeGreaterThanOrEqual(5);
      expect(c.msPerStep).toBeGreaterThan(0);
      expect(c.gflops).toBeCloseTo(stepFlops(shape) / c.msPerStep / 1e6, 6);
    }
    const roof = out.roofline;
    expect(roof.peakGflops).toBeGreaterThan(0.5);
    expect(roof.nominalGflop).toBeCloseTo(stepFlops(CANONICAL) / 1e9, 9);
    // about half the ReLUs are on, so the zero-skipping kernels do about half the dense work
    expect(roof.activeFraction).toBeGreaterThan(0.35);
    expect(roof.activeFraction).toBeLessThan(0.65);
    expect(roof.activeGflop).toBeLessThan(0.7 * roof.nominalGflop);
    expect(roof.floorMs).toBeCloseTo((roof.activeGflop / roof.peakGflops) * 1e3, 6);
    expect(roof.coreWasmMs).toBeNull(); // the canonical width was not among --widths
    // one interleaved round on the canonical step: numpy when python3 has it, core+wasm, no tfjs (not asked for)
    expect(out.rounds).toHaveLength(1);
    expect(out.rounds[0].coreWasm).toBeGreaterThan(0);
    expect(out.rounds[0].tfjsWasmHand).toBeNull();
    expect(out.rounds[0].numpy === null || out.rounds[0].numpy > 0).toBe(true);
    // and the process CPU time of each, which other load on the cores disturbs less than wall time
    expect(out.rounds[0].coreWasmCpu).toBeGreaterThan(0);
    if (out.rounds[0].numpy) expect(out.rounds[0].numpyCpu).toBeGreaterThan(0);
    else expect(out.rounds[0].numpyCpu).toBeUndefined();
  }, 240_000);

  it('a bad flag says so on stderr and exits 2', () => {
    const r = bench(['--widths', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--widths');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  });
});
