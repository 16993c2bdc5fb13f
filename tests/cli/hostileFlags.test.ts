import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnCommand, type CommandResult } from './spawnCommand.ts';

/**
 * Hostile command lines for experiment and sweep: unknown flags, missing values, non-numbers,
 * out of range, NaN and Infinity, unwritable --dump paths, empty lists, duplicated flags, "--"
 * separators, control characters and 100,000-character values. Each must exit 2 with exactly one
 * line on stderr that names the flag, nothing on stdout, and no stack trace.
 *
 * Most experiment cases run the source bundled once by esbuild with plain node (as
 * tests/cli/experiment.test.ts does: tsx costs about 0.4 s of CPU per start); a few run exactly
 * what a user types (`npm run -s experiment --`, `tsx src/cli/experiment.ts`), and sweep runs
 * through tsx (its worker threads load TypeScript).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const TMP = mkdtempSync(join(tmpdir(), 'wide-enough-hostile-cli-'));
const BUNDLE = join(TMP, 'experiment.mjs');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const LONG = '9'.repeat(100_000);
const SMALL = ['--m', '8', '--n', '4', '--d', '4', '--steps', '1', '--measure', 'none'];

beforeAll(async () => {
  await build({ entryPoints: [join(ROOT, 'src/cli/experiment.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: BUNDLE, logLevel: 'silent' });
});
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

type Via = 'bundle' | 'tsx' | 'npm' | 'sweep';

function run(via: Via, args: string[]): Promise<CommandResult> {
  const [cmd, pre] =
    via === 'bundle'
      ? [process.execPath, [BUNDLE]]
      : via === 'tsx'
        ? [TSX, ['src/cli/experiment.ts']]
        : via === 'npm'
          ? ['npm', ['run', '-s', 'experiment', '--']]
          : [TSX, ['src/cli/sweep.ts']];
  return spawnCommand(cmd, [...pre, ...args], ROOT);
}

/** [how it is run, the arguments, what the one line on stderr must match (it names the flag)] */
const CASES: [Via, string[], RegExp][] = [
  // unknown flags, and arguments that are not flags
  ['bundle', ['--bogus', '1'], /^experiment: unknown flag --bogus /],
  ['bundle', ['--M', '8'], /unknown flag --M /],
  ['bundle', ['-m', '8'], /unexpected argument "-m"/],
  ['bundle', ['m=8'], /unexpected argument "m=8"/],
  ['bundle', ['--=5'], /unknown flag "--"/],
  ['bundle', ['---m', '8'], /unknown flag "---m"/],
  ['bundle', ['--foo\nbar'], /unknown flag "--foo\\nbar"/],
  ['bundle', [`--${LONG}`], /unknown flag "--9{20,}\.\.\."/],
  // missing values
  ['bundle', ['--m'], /--m needs a value/],
  ['bundle', ['--n', '4', '--lr'], /--lr needs a value/],
  ['bundle', ['--dump'], /--dump needs a value/],
  ['bundle', ['--dump='], /--dump: got "", expected a value/],
  ['bundle', ['--m='], /--m: got "", expected an integer/],
  ['bundle', ['--m', '--n', '4'], /--m: got "--n"/],
  // not numbers
  ['bundle', ['--m', 'abc'], /--m: got "abc", expected an integer in \[1, 16384\]/],
  ['bundle', ['--m', '0x10'], /--m: got "0x10"/],
  ['bundle', ['--m', '\uff12\uff15\uff16'], /--m: got "２５６"/],
  ['bundle', ['--lr', '1e-3abc'], /--lr: got "1e-3abc"/],
  ['bundle', ['--tau', '   '], /--tau: got "   "/],
  ['bundle', ['--arch', '<script>'], /--arch: got "<script>", expected one of fc, resnet/],
  ['bundle', ['--labels', ''], /--labels: got ""/],
  ['bundle', ['--train-a=yes'], /--train-a: got "yes", expected true or false/],
  // NaN, Infinity, out of range
  ['bundle', ['--m', 'NaN'], /--m: got "NaN"/],
  ['bundle', ['--m', 'Infinity'], /--m: got "Infinity"/],
  ['bundle', ['--lr', '-Infinity'], /--lr: got "-Infinity", expected a number in \[1e-12, 1000000\] or auto/],
  ['bundle', ['--m', '0'], /--m: got "0", expected an integer in \[1, 16384\]/],
  ['bundle', ['--m', '-1'], /--m: got "-1"/],
  ['bundle', ['--m', '1e308'], /--m: got "1e308"/],
  ['bundle', ['--eps', '1e999'], /--eps: got "1e999"/],
  ['bundle', ['--steps', '99999999999999999999'], /--steps: got "99999999999999999999"/],
  ['bundle', ['--seed', '2147483648'], /--seed: got "2147483648", expected an integer in \[0, 2147483647\]/],
  ['bundle', ['--L', '2.5'], /--L: got "2.5", expected an integer/],
  ['bundle', ['--m', LONG], /--m: got "9{20,}\.\.\.", expected an integer/],
  // lists and names
  ['bundle', ['--measure', 'pl,,ntk'], /--measure: got "pl,,ntk"/],
  ['bundle', ['--measure', 'pl\nfoo'], /--measure: got "pl\\nfoo"/],
  ['bundle', ['--kernels', 'wasm,ts,gpu'], /--kernels: got "wasm,ts,gpu"/],
  // cross-field rules name the flags
  ['bundle', ['--n', '4', '--batch', '5'], /--batch: got 5, expected at most n = 4 \(--n; or 0 for full batch\)/],
  ['bundle', ['--n', '1', '--close-delta', '0.1'], /--close-delta needs n >= 2 \(--n\)/],
  ['bundle', [...SMALL, '--close-delta', '0'], /bad data: .*duplicates.*\(--close-delta 0\)/],
  // duplicated flags: the last one counts, and every one must be readable
  ['bundle', ['--m', '8', '--m', 'abc'], /--m: got "abc"/],
  ['bundle', ['--m', 'abc', '--m', '8'], /--m: got "abc"/],
  ['bundle', ['--seed', '1', '--seed', '-5'], /--seed: got "-5"/],
  // "--" separators
  ['bundle', ['--', '--m', '8'], /unexpected argument "--"/],
  ['bundle', ['--m', '8', '--'], /unexpected argument "--"/],
  // unwritable --dump paths (after the run is built: the write fails)
  ['bundle', [...SMALL, '--dump', '/proc/forbidden/x.json'], /^experiment: --dump: cannot write "\/proc\/forbidden\/x.json": ENOENT/],
  ['bundle', [...SMALL, '--dump', tmpdir()], /--dump: cannot write ".*": EISDIR/],
  ['bundle', [...SMALL, '--dump', '/proc/no\nsuch/x.json'], /--dump: cannot write "\/proc\/no\\nsuch\/x.json"/],
  // exactly what a user types
  ['npm', ['--m', 'NaN'], /^experiment: --m: got "NaN"/],
  ['npm', ['--', '--m', '8'], /unexpected argument "--"/],
  ['tsx', ['--width', '256'], /unknown flag --width /],
  ['tsx', ['--lr', 'Infinity'], /--lr: got "Infinity"/],
  // sweep
  // in range flag by flag, but far over the machine's memory: refused before anything is allocated
  ['bundle', ['--m', '16384', '--L', '64'], /^experiment: --max-memory: this run needs about [\d.]+ GB .* over the limit of 20000 MB/],
  ['bundle', [...SMALL, '--max-memory', '0'], /--max-memory/],
  ['sweep', ['--widths', '16384', '--L', '64'], /^sweep: --max-memory: \d+ runs of width 16384 side by side need about [\d.]+ GB/],
  ['sweep', ['--widths'], /^sweep: --widths needs a value/],
  ['sweep', ['--widths', ''], /--widths: got "", expected comma-separated integers in \[1, 16384\]/],
  ['sweep', ['--widths', '8,,16'], /--widths: got "8,,16"/],
  ['sweep', ['--widths', '8,NaN'], /--widths: got "8,NaN"/],
  ['sweep', ['--widths', '0,Infinity'], /--widths: got "0,Infinity"/],
  ['sweep', ['--widths', '99999'], /--widths: got "99999"/],
  ['sweep', ['--widths', `8,${LONG}`], /--widths: got "8,9{20,}\.\.\."/],
  ['sweep', ['--seeds', '0'], /--seeds: got "0", expected an integer in \[1, 100\]/],
  ['sweep', ['--seeds', '-Infinity'], /--seeds: got "-Infinity"/],
  ['sweep', ['--workers', '1e308'], /--workers: got "1e308"/],
  ['sweep', ['--bogus'], /^sweep: unknown flag --bogus /],
  ['sweep', ['--', '--widths', '8'], /unexpected argument "--"/],
  ['sweep', ['--widths', '8', '--seeds', '1', '--n', '1', '--close-delta', '0.1'], /--close-delta needs n >= 2/],
];

describe.concurrent(`hostile flags (${CASES.length} invocations)`, () => {
  test('at least 30 bad invocations are tried', () => {
    console.log(`hostile CLI invocations tried: ${CASES.length} (${CASES.filter((c) => c[0] === 'sweep').length} of sweep)`);
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  test.each(CASES.map(([via, args, message]) => ({ via, args, message, name: `${via} ${JSON.stringify(args.map((a) => (a.length > 40 ? `${a.slice(0, 20)}...(${a.length} chars)` : a)))}` })))(
    '$name exits 2 with one line naming the flag',
    async ({ via, args, message }) => {
      const r = await run(via, args);
      const lines = r.stderr.split('\n');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(lines.length, r.stderr).toBe(2); // one line, then the end of the text
      expect(lines[1]).toBe('');
      expect(lines[0]).toMatch(message);
      expect(lines[0].length).toBeLessThan(400); // a long value is shortened
      expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
    },
  );
});
