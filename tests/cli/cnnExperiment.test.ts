import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { spawnCommand } from './spawnCommand.ts';

/** The experiment CLI on the CNN, started as a user starts it: `npm run -s experiment -- --arch cnn ...`. */
const ROOT = resolve(import.meta.dirname, '../..');
const TMP = mkdtempSync(join(tmpdir(), 'wide-enough-cnn-cli-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const npm = (args: string[]) => spawnCommand('npm', ['run', '-s', 'experiment', '--', ...args], ROOT);

interface Line {
  type: string;
  [k: string]: unknown;
}
const lines = (stdout: string): Line[] => stdout.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const summaryOf = (stdout: string) => lines(stdout).at(-1)!;

describe.concurrent('experiment CLI, --arch cnn', () => {
  test('the CNN at q=8, c=2, s=3, m=256, L=2, n=16 reaches F <= 1e-3 F_0 within 400 steps', async () => {
    const r = await npm(['--arch', 'cnn', '--q', '8', '--c', '2', '--window', '3', '--m', '256', '--L', '2', '--n', '16', '--steps', '400', '--measure', 'none']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = summaryOf(r.stdout);
    expect(s.config).toMatchObject({ arch: 'cnn', q: 8, d: 2, window: 3, m: 256, L: 2, n: 16 });
    expect(s.lossT as number).toBeLessThanOrEqual(1e-3 * (s.loss0 as number));
    expect(s.stepsToEps).not.toBeNull();
  }, 180_000);

  test('--dump writes the CNN in the documented layouts; F recomputed from the dump alone matches', async () => {
    const file = join(TMP, 'cnn.json');
    const [q, c, s, m, L, n, dOut, tau] = [5, 3, 3, 6, 2, 4, 2, 0.4];
    const r = await npm(['--arch', 'cnn-resnet', '--q', `${q}`, '--c', `${c}`, '--window', `${s}`, '--m', `${m}`, '--L', `${L}`, '--n', `${n}`, '--out', `${dOut}`, '--tau', `${tau}`, '--steps', '0', '--measure', 'none', '--dump', file]);
    expect(r.code).toBe(0);
    const dump = JSON.parse(readFileSync(file, 'utf8'));
    expect(dump.config).toMatchObject({ arch: 'cnn-resnet', q, c, s, m, L, n, dOut, tau });
    const shape = (a: number[][]) => [a.length, ...new Set(a.map((row) => row.length))];
    expect(dump.X.length).toBe(n);
    for (const x of dump.X) expect(shape(x)).toEqual([q, c]);
    expect(shape(dump.Y)).toEqual([n, dOut]);
    expect(shape(dump.A)).toEqual([m, s * c]);
    expect(dump.W.length).toBe(L);
    for (const w of dump.W) expect(shape(w)).toEqual([m, s * m]);
    expect(shape(dump.B)).toEqual([dOut, q * m]);
    // the network as the paper writes it: patch_p concatenates h[p-r..p+r] (mod q), offset-major
    const r0 = (s - 1) / 2;
    const patch = (h: number[][], p: number) => Array.from({ length: s }, (_, k) => h[(((p + k - r0) % q) + q) % q]).flat();
    const apply = (M: number[][], v: number[]) => M.map((row) => row.reduce((acc, w, k) => acc + w * v[k], 0));
    const relu = (v: number[]) => v.map((t) => Math.max(t, 0));
    let F = 0;
    for (let i = 0; i < n; i++) {
      expect(Math.hypot(...dump.X[i].flat())).toBeCloseTo(1, 12);
      let h: number[][] = Array.from({ length: q }, (_, p) => relu(apply(dump.A, patch(dump.X[i], p))));
      for (const W of dump.W) h = h.map((hp, p) => relu(apply(W, patch(h, p)).map((v, j) => hp[j] + tau * v)));
      const out = apply(dump.B, h.flat()); // vec(h) position-major
      F += 0.5 * out.reduce((acc, o, a) => acc + (o - dump.Y[i][a]) ** 2, 0);
    }
    expect(Math.abs(F - dump.loss)).toBeLessThan(1e-5 * dump.loss);
  }, 180_000);

  test('a diverging CNN run exits 3 with status "diverged"', async () => {
    const r = await npm(['--arch', 'cnn', '--q', '6', '--c', '2', '--m', '32', '--n', '6', '--lr', '100', '--steps', '50', '--measure', 'none']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/diverged/);
    expect(summaryOf(r.stdout).status).toBe('diverged');
  }, 180_000);

  test('the sweep takes --arch cnn: a run line per (channel count, seed), then the fitted slopes', async () => {
    const r = await spawnCommand('npm', ['run', '-s', 'sweep', '--', '--arch', 'cnn', '--q', '5', '--c', '2', '--window', '3', '--n', '6', '--widths', '16,64', '--seeds', '2', '--workers', '1', '--steps', '2000'], ROOT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    const runs = out.filter((l) => l.type === 'run');
    expect(runs.map((l) => `${l.m}:${l.seed}`).sort()).toEqual(['16:1', '16:2', '64:1', '64:2']);
    for (const run of runs) expect(run.converged).toBe(true);
    const dist = out.find((l) => l.type === 'fit' && l.quantity === 'distFro')!;
    expect(Number.isFinite(dist.slope as number)).toBe(true);
    expect(out.some((l) => l.type === 'fit' && l.quantity === 'flipFrac')).toBe(true);
  }, 180_000);

  test('an even window is refused with exit 2 and one line naming --window', async () => {
    const r = await npm(['--arch', 'cnn', '--window', '4', '--steps', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--window: got 4, expected an odd window/);
    expect(r.stdout).toBe('');
  }, 180_000);
});
