import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CNN_SHAPE_NAME, cnnStepFlops } from '../../src/bench/cnnCase.ts';

describe('bench CLI: the CNN step', () => {
  it('times the CNN step (q=8, c=2, s=3, m=256, L=2, n=16) on core+wasm and core+ts, in the table and in --json', () => {
    const args = ['src/cli/bench.ts', '--widths', '64', '--impls', 'core+wasm-cnn,core+ts-cnn', '--no-loop', '--reps', '5'];
    const json = spawnSync('node_modules/.bin/tsx', [...args, '--json'], { encoding: 'utf8', timeout: 240_000 });
    expect(json.status, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as { cases: { impl: string; shape: string; m: number; msPerStep: number; gflops: number; reps: number; note?: string }[] };
    expect(out.cases.map((c) => c.impl)).toEqual(['core+wasm-cnn', 'core+ts-cnn']);
    for (const c of out.cases) {
      expect(c.shape).toBe(CNN_SHAPE_NAME);
      expect(c.m).toBe(256);
      expect(c.reps).toBeGreaterThanOrEqual(5);
      expect(c.note).toBeUndefined(); // the loss stayed finite
      expect(c.gflops).toBeCloseTo(cnnStepFlops() / c.msPerStep / 1e6, 6);
    }
    expect(json.stderr).toMatch(/cnn step: core\+ts \/ core\+wasm time \d+\.\d\d/);
    const table = spawnSync('node_modules/.bin/tsx', args, { encoding: 'utf8', timeout: 240_000 });
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/core\+wasm-cnn\s+256\s+\d/);
  }, 240_000);
});
