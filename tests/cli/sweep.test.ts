import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const tsx = 'node_modules/.bin/tsx';

function sweep(args: string[]) {
  const r = spawnSync(tsx, ['src/cli/sweep.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

describe('sweep CLI', () => {
  it('prints one run line per (width, seed) from worker threads, then one fit per quantity', () => {
    const r = sweep(['--widths', '16,32', '--seeds', '2', '--seed', '5', '--n', '6', '--d', '4', '--steps', '300']);
    expect(r.code, r.stderr).toBe(0);
    const runs = r.lines.filter((l) => l.type === 'run');
    const fits = r.lines.filter((l) => l.type === 'fit');
    expect(runs.map((l) => `${l.m}/${l.seed}`).sort()).toEqual(['16/5', '16/6', '32/5', '32/6']);
    for (const run of runs) {
      for (const key of ['steps', 'loss0', 'lossT', 'distFro', 'distRel', 'distSpec', 'flipFrac', 'lambdaMin0', 'lambdaMax0', 'plMin', 'rhoRelu', 'ntkDrift'])
        expect(typeof run[key], key).toBe('number');
      expect(run.lossT).toBeLessThan(run.loss0);
    }
    const quantities = fits.map((f) => f.quantity);
    for (const q of ['distFro', 'flipFrac', 'lambdaMin0', 'plMin', 'rhoRelu', 'ntkDrift']) expect(quantities).toContain(q);
    for (const f of fits) expect(f.lo).toBeLessThanOrEqual(f.hi);
  });

  it('same seeds, same numbers', () => {
    const args = ['--widths', '16', '--seeds', '1', '--n', '5', '--d', '3', '--steps', '50'];
    const a = sweep(args).lines.find((l) => l.type === 'run');
    const b = sweep(args).lines.find((l) => l.type === 'run');
    delete a.seconds;
    delete b.seconds;
    expect(a).toEqual(b);
  });

  it('bad flags exit 2 naming the flag and range', () => {
    const r = sweep(['--widths', '16,abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--widths.*comma-separated integers/);
    const s = sweep(['--seeds', '0']);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/--seeds.*\[1, 100\]/);
    const t = sweep(['--bogus', '1']);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/unknown flag --bogus/);
  });
});
