import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { spawnCommand } from './spawnCommand.ts';

/** The experiment CLI's generalization flags, as a user runs them (node --import tsx). */
const ROOT = resolve(import.meta.dirname, '../..');
const cli = (args: string[]) => spawnCommand(process.execPath, ['--import', 'tsx', 'src/cli/experiment.ts', ...args], ROOT);

interface Line {
  type: string;
  [k: string]: unknown;
}
const lines = (stdout: string): Line[] => stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);

const SMALL = ['--teacher', '4', '--test-n', '200', '--m', '64', '--n', '16', '--d', '5', '--steps', '300', '--every', '100'];

describe.concurrent('experiment CLI with a teacher', () => {
  test('records and the summary carry the test loss; --kernel-predictor adds the kernel\'s', async () => {
    const r = await cli([...SMALL, '--kernel-predictor']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    const records = out.filter((l) => l.type === 'record');
    expect(records.map((l) => l.step)).toEqual([0, 100, 200, 300]);
    for (const rec of records) expect(rec.testLoss as number).toBeGreaterThan(0);
    // training drives the per-point training loss far below the test loss's start
    const summary = out[out.length - 1];
    expect(summary.type).toBe('summary');
    expect(summary.testLoss).toBe(records[records.length - 1].testLoss);
    expect(summary.trainLossMean as number).toBeLessThan(1e-2 * (records[0].trainLossMean as number));
    expect(summary.testN).toBe(200);
    expect(Number.isFinite(summary.kernelTestLoss)).toBe(true);
    expect(summary.kernelTestLoss as number).toBeGreaterThan(0);
  }, 120_000);

  test('without --kernel-predictor there is no kernel test loss; --alpha puts the scale in the summary', async () => {
    const r = await cli([...SMALL, '--alpha', '10', '--alpha-scaling', 'mean-field']);
    expect(r.code).toBe(0);
    const summary = lines(r.stdout).pop()!;
    expect(summary.kernelTestLoss).toBeUndefined();
    expect(summary.alpha as number).toBeCloseTo(10 / 8, 12);
    expect(summary.testLoss as number).toBeGreaterThan(0);
  }, 120_000);

  test('bad use is refused on stderr with exit code 2', async () => {
    const noTeacher = await cli(['--kernel-predictor', '--m', '16', '--n', '4', '--steps', '1']);
    expect(noTeacher.code).toBe(2);
    expect(noTeacher.stderr).toMatch(/--kernel-predictor needs a teacher/);
    const badAlpha = await cli(['--teacher', '2', '--alpha', '0']);
    expect(badAlpha.code).toBe(2);
    expect(badAlpha.stderr).toMatch(/--alpha: got "0"/);
    // the kernel predictor's (n + test-n)^2 kernel: 80 GB for 100,000 test points, refused before anything is allocated
    const huge = await cli(['--teacher', '2', '--test-n', '100000', '--kernel-predictor', '--m', '16', '--n', '4', '--steps', '1']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/^experiment: --max-memory: the test set and the kernel predictor of this run need about \d+\.\d GB .* use a smaller --test-n/);
    expect(huge.stdout).toBe('');
    const badNoise = await cli(['--teacher', '2', '--noise', '-1']);
    expect(badNoise.code).toBe(2);
    expect(badNoise.stderr).toMatch(/--noise/);
  }, 120_000);
});
