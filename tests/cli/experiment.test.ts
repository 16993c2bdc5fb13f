import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnCommand, type CommandResult } from './spawnCommand.ts';

/**
 * The experiment CLI as a user runs it: a child process, JSON Lines on stdout, exit codes.
 * `npm run experiment` means `tsx src/cli/experiment.ts`; two tests run exactly that. tsx costs
 * about 0.4 s of CPU per start, so the other cases run the same source bundled once by esbuild
 * (the transform tsx itself uses) and started with plain node (about 0.1 s).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const TMP = mkdtempSync(join(tmpdir(), 'wide-enough-cli-'));
const BUNDLE = join(TMP, 'experiment.mjs');
beforeAll(async () => {
  await build({
    entryPoints: [join(ROOT, 'src/cli/experiment.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: BUNDLE,
    logLevel: 'silent',
  });
});
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

function cli(args: string[], via: 'bundle' | 'tsx' = 'bundle'): Promise<CommandResult> {
  const entry = via === 'tsx' ? ['--import', 'tsx', 'src/cli/experiment.ts'] : [BUNDLE];
  return spawnCommand(process.execPath, [...entry, ...args], ROOT);
}

interface Line {
  type: string;
  [k: string]: unknown;
}

function lines(stdout: string): Line[] {
  const text = stdout.trimEnd();
  return text === '' ? [] : text.split('\n').map((l) => JSON.parse(l) as Line);
}

const SMALL = ['--m', '16', '--n', '6', '--d', '4', '--L', '2', '--measure', 'none'];

describe.concurrent('experiment CLI', () => {
  test('JSON Lines: a record every K steps, then a summary (node --import tsx)', async () => {
    const r = await cli([...SMALL, '--steps', '25', '--every', '5', '--lr', '0.01', '--seed', '3'], 'tsx');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    const records = out.filter((l) => l.type === 'record');
    const summary = out[out.length - 1];
    expect(out[0]).toMatchObject({ type: 'estimate' }); // what it will cost, before it starts
    expect(out[0].memoryBytes as number).toBeGreaterThan(0);
    expect(out.slice(1, -1).every((l) => l.type === 'record')).toBe(true);
    expect(records.map((l) => l.step)).toEqual([0, 5, 10, 15, 20, 25]);
    for (const rec of records) {
      expect(Number.isFinite(rec.loss)).toBe(true);
      expect(Number.isFinite(rec.gradNorm)).toBe(true);
    }
    expect((records[5].loss as number) < (records[0].loss as number)).toBe(true);
    expect(summary.type).toBe('summary');
    expect(summary.status).toBe('steps');
    expect(summary.steps).toBe(25);
    expect(summary.loss0).toBe(records[0].loss);
    expect(summary.lossT).toBe(records[5].loss);
    expect(summary.lr).toBe(0.01);
    expect(summary.config).toMatchObject({ m: 16, n: 6, d: 4, L: 2, steps: 25, every: 5, lr: 0.01 });
  });

  test('--steps 0 gives the step-0 record and a summary; the step count is not a multiple of --every', async () => {
    const zero = lines((await cli([...SMALL, '--steps', '0'])).stdout);
    expect(zero.map((l) => l.type)).toEqual(['estimate', 'record', 'summary']);
    const odd = lines((await cli([...SMALL, '--steps', '7', '--every', '3', '--lr', '0.01'])).stdout);
    expect(odd.filter((l) => l.type === 'record').map((l) => l.step)).toEqual([0, 3, 6, 7]);
  });

  test('--until-eps stops at convergence with status converged', async () => {
    const r = await cli([...SMALL, '--m', '64', '--steps', '500', '--every', '100', '--eps', '0.5', '--until-eps']);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    const summary = out[out.length - 1];
    expect(summary.status).toBe('converged');
    expect(summary.steps).toBeLessThan(500);
    expect(summary.stepsToEps).toBe(summary.steps);
    expect(summary.lossT as number).toBeLessThanOrEqual(0.5 * (summary.loss0 as number));
  });

  test('--help exits 0 with the usage text (node --import tsx)', async () => {
    const r = await cli(['--help'], 'tsx');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/usage/);
    for (const flag of ['--seed', '--m', '--lr', '--close-delta', '--dump', '--init-seed']) expect(r.stdout).toContain(flag);
  });

  test.each([
    [['--bogus', '1'], /unknown flag --bogus/],
    [['--m', '0'], /--m: got "0", expected an integer in \[1, 16384\]/],
    [['--m', '2.5'], /--m: .*an integer in \[1, 16384\]/],
    [['--lr', 'abc'], /--lr: got "abc", expected a number in \[1e-12, 1000000\]/],
    [['--arch', 'mlp'], /--arch: got "mlp", expected one of fc, resnet, cnn, cnn-resnet/],
    [['--tau', '11'], /--tau: .*\[0, 10\]/],
    [['--seed', '-1'], /--seed: .*\[0, 2147483647\]/],
    [['--n', '4', '--batch', '5'], /batch: got 5, expected at most n = 4/],
    [['--steps'], /--steps needs a value/],
  ])('bad input %j exits 2 naming the flag and the allowed range', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  test('--close-delta 0 exits 2 saying the points are duplicates', async () => {
    const r = await cli([...SMALL, '--close-delta', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/duplicates/);
    expect(r.stdout).toBe('');
  });

  test('a huge --lr diverges: exit 3 and a summary with status "diverged"', async () => {
    const r = await cli([...SMALL, '--m', '32', '--lr', '1e3', '--steps', '50']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/diverged/);
    const out = lines(r.stdout);
    const summary = out[out.length - 1];
    expect(summary.type).toBe('summary');
    expect(summary.status).toBe('diverged');
    expect(summary.steps).toBeLessThan(50);
    expect(Number.isFinite(summary.lossT)).toBe(true);
  });

  test('--max-memory refuses a run over it before allocating, naming the estimate; the default lets the largest page settings through', async () => {
    const r = await cli(['--m', '4096', '--L', '8', '--n', '128', '--d', '256', '--max-memory', '1000', '--steps', '1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--max-memory: this run needs about 2\.\d GB .* over the limit of 1000 MB/);
    const ok = await cli([...SMALL, '--steps', '0', '--max-memory', '1']);
    expect(ok.code).toBe(0); // a tiny run fits in 1 MB's worth of estimate
    expect(lines(ok.stdout)[0].memoryBytes as number).toBeLessThan(1e6);
  });

  test('--dump writes the initial state, consistent with the first record', async () => {
    const file = join(TMP, 'dump.json');
    const [m, n, d, dOut, L] = [12, 5, 3, 2, 2];
    const args = ['--m', `${m}`, '--n', `${n}`, '--d', `${d}`, '--out', `${dOut}`, '--L', `${L}`, '--measure', 'none'];
    const r = await cli([...args, '--steps', '2', '--every', '1', '--lr', '0.01', '--seed', '4', '--dump', file]);
    expect(r.code).toBe(0);
    const first = lines(r.stdout).find((l) => l.type === 'record')!;
    const dump = JSON.parse(readFileSync(file, 'utf8'));
    expect(dump.config).toMatchObject({ m, n, d, dOut, L, dataSeed: 4, initSeed: 4, batchSeed: 4 });
    const shape = (a: number[][]) => [a.length, ...new Set(a.map((row) => row.length))];
    expect(shape(dump.X)).toEqual([n, d]);
    expect(shape(dump.Y)).toEqual([n, dOut]);
    expect(shape(dump.A)).toEqual([m, d]);
    expect(dump.W.length).toBe(L);
    for (const w of dump.W) expect(shape(w)).toEqual([m, m]);
    expect(shape(dump.B)).toEqual([dOut, m]);
    expect(dump.loss).toBe(first.loss);
    expect(dump.gradNorm).toBe(first.gradNorm);
    // the arrays are the network: recompute F in float64 from the dump alone
    const relu = (v: number[]) => v.map((t) => Math.max(t, 0));
    const apply = (M: number[][], v: number[]) => M.map((row) => row.reduce((s, w, k) => s + w * v[k], 0));
    let F = 0;
    for (let i = 0; i < n; i++) {
      expect(Math.hypot(...dump.X[i])).toBeCloseTo(1, 12);
      let h = relu(apply(dump.A, dump.X[i]));
      for (const W of dump.W) h = relu(apply(W, h));
      const out = apply(dump.B, h);
      F += 0.5 * out.reduce((s, o, a) => s + (o - dump.Y[i][a]) ** 2, 0);
    }
    expect(Math.abs(F - dump.loss)).toBeLessThan(1e-5 * dump.loss);
  });

  test('--seed sets all three streams; --init-seed overrides one, in either order', async () => {
    const base = [...SMALL, '--steps', '0'];
    const dumpOf = async (name: string, args: string[]) => {
      const file = join(TMP, `${name}.json`);
      const r = await cli([...base, ...args, '--dump', file]);
      expect(r.code).toBe(0);
      return JSON.parse(readFileSync(file, 'utf8'));
    };
    const [s7, s7i9, i9s7, s8] = await Promise.all([
      dumpOf('s7', ['--seed', '7']),
      dumpOf('s7i9', ['--seed', '7', '--init-seed', '9']),
      dumpOf('i9s7', ['--init-seed', '9', '--seed', '7']),
      dumpOf('s8', ['--seed', '8']),
    ]);
    expect(s7.config).toMatchObject({ dataSeed: 7, initSeed: 7, batchSeed: 7 });
    expect(s7i9.config).toMatchObject({ dataSeed: 7, initSeed: 9, batchSeed: 7 });
    expect(i9s7.config).toMatchObject({ dataSeed: 7, initSeed: 9, batchSeed: 7 });
    expect(s8.config).toMatchObject({ dataSeed: 8, initSeed: 8, batchSeed: 8 });
    // the init seed moves the weights only
    expect(s7i9.X).toEqual(s7.X);
    expect(s7i9.Y).toEqual(s7.Y);
    expect(s7i9.A).not.toEqual(s7.A);
    expect(i9s7.A).toEqual(s7i9.A);
    // a new seed moves both
    expect(s8.X).not.toEqual(s7.X);
    expect(s8.A).not.toEqual(s7.A);
  });
});
