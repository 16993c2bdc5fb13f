import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { spawnCommand } from './spawnCommand.ts';

/** The experiment and sweep CLIs on the RNN (--arch rnn --T), as a user runs them (tsx). */
const ROOT = resolve(import.meta.dirname, '../..');
const TMP = mkdtempSync(join(tmpdir(), 'wide-enough-rnn-cli-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const run = (script: string, args: string[]) => spawnCommand(process.execPath, ['--import', 'tsx', script, ...args], ROOT);
const experiment = (args: string[]) => run('src/cli/experiment.ts', args);
const parse = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

const relu = (v: number[]) => v.map((x) => Math.max(0, x));
const apply = (M: number[][], v: number[]) => M.map((row) => row.reduce((s, w, k) => s + w * v[k], 0));
const add = (a: number[], b: number[]) => a.map((x, k) => x + b[k]);

/** F = sum_i sum_{t>=2} 1/2 ||B h_{i,t} - y_{i,t}||^2, h_0 = 0, h_t = ReLU(W h_{t-1} + A x_t), from the dump's arrays alone, in float64. */
function lossFromDump(dump: { X: number[][][]; Y: number[][][]; A: number[][]; W: number[][][]; B: number[][] }, W = dump.W[0]): number {
  let F = 0;
  for (let i = 0; i < dump.X.length; i++) {
    let h = new Array(W.length).fill(0);
    dump.X[i].forEach((x, t) => {
      h = relu(add(apply(W, h), apply(dump.A, x)));
      if (t >= 1) F += 0.5 * apply(dump.B, h).reduce((s, o, a) => s + (o - dump.Y[i][t][a]) ** 2, 0);
    });
  }
  return F;
}

describe('experiment --arch rnn', () => {
  test('the exact command of the RNN issue reaches F <= 1e-3 F_0 within 2000 steps', async () => {
    const r = await experiment(['--arch', 'rnn', '--T', '5', '--m', '512', '--d', '8', '--n', '8', '--steps', '2000']);
    expect(r.code, r.stderr).toBe(0);
    const summary = parse(r.stdout).find((l) => l.type === 'summary');
    expect(summary.config).toMatchObject({ arch: 'rnn', T: 5, m: 512, d: 8, n: 8 });
    expect(summary.lossT).toBeLessThanOrEqual(1e-3 * summary.loss0);
    expect(summary.stepsToEps).toBeGreaterThan(0);
    const records = parse(r.stdout).filter((l) => l.type === 'record');
    // flips per time step: h_1 = ReLU(A x_1) never depends on W, so its pattern never flips
    expect(records.at(-1).flipFracPerLayer.length).toBe(5);
    expect(records.at(-1).flipFracPerLayer[0]).toBe(0);
  }, 120_000);

  test('--dump writes config, X (n x T x d), Y (n x T x dOut), A, [W], B, loss and gradNorm; F and ||grad F|| recomputed from the dump agree', async () => {
    const file = join(TMP, 'rnn.json');
    const [n, T, d, m, dOut] = [3, 4, 3, 8, 2];
    const r = await experiment(['--arch', 'rnn', '--T', `${T}`, '--n', `${n}`, '--d', `${d}`, '--m', `${m}`, '--out', `${dOut}`, '--steps', '1', '--seed', '3', '--dump', file]);
    expect(r.code, r.stderr).toBe(0);
    const dump = JSON.parse(readFileSync(file, 'utf8'));
    expect(dump.config).toMatchObject({ arch: 'rnn', T, d, m, n, dOut });
    const shape = (a: unknown): number[] => (Array.isArray(a) ? [a.length, ...shape(a[0])] : []);
    expect(shape(dump.X)).toEqual([n, T, d]);
    expect(shape(dump.Y)).toEqual([n, T, dOut]);
    expect(shape(dump.A)).toEqual([m, d]);
    expect(shape(dump.W)).toEqual([1, m, m]);
    expect(shape(dump.B)).toEqual([dOut, m]);
    for (const seq of dump.X) for (const x of seq) expect(Math.hypot(...x)).toBeCloseTo(1, 6);
    const F = lossFromDump(dump);
    expect(Math.abs(F - dump.loss)).toBeLessThan(1e-5 * dump.loss);
    // ||grad_W F|| by float64 central differences of the recomputed F
    const W = dump.W[0].map((row: number[]) => row.slice());
    let g2 = 0;
    const h = 1e-6;
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) {
        const w0 = W[a][b];
        W[a][b] = w0 + h;
        const up = lossFromDump(dump, W);
        W[a][b] = w0 - h;
        const down = lossFromDump(dump, W);
        W[a][b] = w0;
        g2 += ((up - down) / (2 * h)) ** 2;
      }
    expect(Math.abs(Math.sqrt(g2) - dump.gradNorm)).toBeLessThan(1e-4 * dump.gradNorm);
    // the summary's gradient over time: T norms at initialization and at the end, and the fitted factor
    const summary = parse(r.stdout).find((l) => l.type === 'summary');
    const g = summary.gradientOverTime;
    expect(g.init.total.length).toBe(T);
    expect(g.init.fromLast.length).toBe(T);
    expect(g.init.total[T - 1]).toBeCloseTo(g.init.fromLast[T - 1], 4); // at t = T only the last loss reaches h_T
    expect(g.init.growth.lo).toBeLessThanOrEqual(g.init.growth.factor);
    expect(['explodes', 'vanishes', 'neither', 'unclear']).toContain(g.init.growth.kind);
  }, 120_000);

  test('T = 1 and a trained A or B are refused with exit 2, naming the flag', async () => {
    const t1 = await experiment(['--arch', 'rnn', '--T', '1']);
    expect(t1.code).toBe(2);
    expect(t1.stderr).toMatch(/--T: got 1; .*starts at t = 2.*T >= 2/);
    const a = await experiment(['--arch', 'rnn', '--train-a']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--train-a: the RNN trains W only/);
  }, 120_000);

  test('the sweep takes --arch rnn: one line per (width, seed), then the fits', async () => {
    const r = await run('src/cli/sweep.ts', ['--arch', 'rnn', '--T', '3', '--widths', '16,32', '--seeds', '1', '--n', '4', '--d', '3', '--steps', '200', '--workers', '1']);
    expect(r.code, r.stderr).toBe(0);
    const lines = parse(r.stdout);
    const runs = lines.filter((l) => l.type === 'run');
    expect(runs.map((l) => l.m).sort()).toEqual([16, 32]);
    for (const l of runs) {
      expect(l.lossT).toBeLessThan(l.loss0);
      expect(Number.isFinite(l.flipFrac) && Number.isFinite(l.distFro)).toBe(true);
    }
    expect(lines.some((l) => l.type === 'fit' && l.quantity === 'steps')).toBe(true);
  }, 120_000);
});
