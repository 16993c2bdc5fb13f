/**
 * npm run bench:browser [-- --json] [--quick] [--widths 64,256] [--impls core+wasm,tfjs-wasm-hand] [--reps 9] [--rounds N]
 *
 * Builds the site with Vite (bench.html is one of its inputs), serves the build on 127.0.0.1 from
 * this process, and opens bench.html in Debian's Chromium (playwright-core, fresh temporary profile,
 * headless), which runs the benchmark in a module Web Worker. numpy is measured in the same run by
 * the Node bench (src/cli/bench.ts --impls numpy) as the baseline. Prints the same table as
 * `npm run bench`, or with --json {"cases":[...]}.
 */
import { ConfigError } from '../train/config.ts';
import { intFlag, widthList } from './benchFlags.ts';
import { parseOrExit } from './exitOnError.ts';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CANONICAL, WIDTHS, formatTable, shapeName, type BenchCase } from '../bench/steps.ts';
import type { BenchPageResult } from '../bench/protocol.ts';
import { summarizeRounds } from '../bench/cases.ts';
import { formatRoofline } from '../bench/roofline.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';

interface Args {
  json: boolean;
  widths: number[];
  impls: string[] | null;
  reps: number;
  numpy: boolean;
  rounds: number;
}


function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, widths: WIDTHS, impls: null, reps: 9, numpy: true, rounds: 0 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => argv[++i] ?? '';
    if (k === '--json') a.json = true;
    else if (k === '--quick') {
      a.widths = a.widths.filter((m) => m <= 1024);
      a.reps = 5;
    } else if (k === '--widths') a.widths = widthList(k, next());
    else if (k === '--impls') a.impls = next().split(',');
    else if (k === '--reps') a.reps = Math.max(5, intFlag(k, next()));
    else if (k === '--no-numpy') a.numpy = false;
    else if (k === '--rounds') a.rounds = intFlag(k, next());
    else if (k === '--help' || k === '-h') {
      console.log(
        'usage: npm run -s bench:browser -- [--json] [--quick] [--widths 64,256,1024,4096] [--impls a,b] [--reps N] [--no-numpy] [--rounds N]\n' +
          '  --rounds N: afterwards, N interleaved rounds of core+wasm / tfjs-wasm-hand on the canonical step in the worker (ratios per round)',
      );
      process.exit(0);
    } else throw new ConfigError(k, `unknown flag ${k} (see --help)`);
  }
  return a;
}

const args = parseOrExit('bench:browser', () => parseArgs(process.argv.slice(2)));
const log = (s: string) => (args.json ? process.stderr.write(s + '\n') : console.log(s));

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

async function build(): Promise<string> {
  const { build } = await import('vite');
  const outDir = await mkdtemp(join(tmpdir(), 'wide-enough-bench-'));
  await build({ root: ROOT, configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

async function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = normalize(join(dir, path === '/' ? 'index.html' : path));
      if (!file.startsWith(dir + sep) || !(await stat(file)).isFile()) throw new Error('not found');
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
      res.end(await readFile(file));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}

async function runChromium(url: string): Promise<BenchPageResult> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (set CHROME_PATH)`);
  const profile = await mkdtemp(join(tmpdir(), 'wide-enough-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => log(`  page error: ${e.message}`));
    const q = new URLSearchParams({ widths: args.widths.join(','), reps: String(args.reps) });
    if (args.impls) q.set('impls', args.impls.join(','));
    if (args.rounds) q.set('rounds', String(args.rounds));
    await page.goto(`${url}/bench.html?${q}`);
    let seen = 0;
    const deadline = Date.now() + 20 * 60_000;
    for (;;) {
      const r = (await page.evaluate(() => window.__bench)) as BenchPageResult | undefined;
      if (r) {
        for (; seen < r.log.length; seen++) log(`  [chromium] ${r.log[seen]}`);
        if (r.done) return r;
      }
      if (Date.now() > deadline) throw new Error('bench page did not finish in 20 minutes');
      await page.waitForTimeout(500);
    }
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

function runNumpy(): BenchCase[] {
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/bench.ts'), '--json', '--impls', 'numpy', '--no-loop', '--widths', args.widths.join(','), '--reps', String(args.reps)],
    { cwd: ROOT, encoding: 'utf8', timeout: 600_000 },
  );
  if (res.status !== 0) {
    log(`  numpy: not measured (${res.stderr.trim().split('\n').pop()})`);
    return [];
  }
  return (JSON.parse(res.stdout) as { cases: BenchCase[] }).cases;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  log('building the site (vite) ...');
  const dir = await build();
  const server = await serve(dir);
  let page: BenchPageResult;
  try {
    log(`bench.html in ${CHROMIUM} (headless, fresh profile), ${server.url}`);
    page = await runChromium(server.url);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  if (page.error) throw new Error(`bench page failed: ${page.error}`);
  const numpy = args.numpy ? runNumpy() : [];
  const cases = [...numpy, ...(page.cases ?? [])];
  if (args.json) {
    const rounds = page.rounds?.length ? { rounds: page.rounds } : {};
    console.log(JSON.stringify({ cases, loopStepsPerSecond: page.loopStepsPerSecond ?? {}, info: { ...page.info, mainThread: page.mainThread }, roofline: page.roofline ?? null, ...rounds }));
    return;
  }
  console.log('\n' + formatTable(cases));
  const canon = (impl: string) => cases.find((c) => c.impl === impl && c.shape === shapeName(CANONICAL) && c.env !== numpy[0]?.env)?.msPerStep ?? null;
  const np = numpy.find((c) => c.shape === shapeName(CANONICAL))?.msPerStep ?? null;
  const fast = canon('core+wasm');
  const tfBest = [canon('tfjs-wasm-hand'), canon('tfjs-wasm-optimizer')].filter((x): x is number => x !== null);
  console.log(`\ncanonical step (m=1024) in ${page.info?.userAgent ?? 'Chromium'}`);
  console.log(`  wasm kernels in the worker: ${page.info?.wasmKernels}; on the main thread: ${page.mainThread ?? 'not reported'}`);
  if (fast !== null && np !== null) console.log(`  core+wasm / numpy (Node-spawned, same run) time: ${(fast / np).toFixed(2)} (goal <= 1)`);
  if (fast !== null && tfBest.length) console.log(`  tfjs-wasm best / core+wasm time: ${(Math.min(...tfBest) / fast).toFixed(2)} (goal >= 3)`);
  for (const line of summarizeRounds(page.rounds ?? [])) console.log(line);
  if (page.roofline) console.log('\n' + formatRoofline(page.roofline, np).join('\n'));
  for (const [impl, sps] of Object.entries(page.loopStepsPerSecond ?? {})) {
    console.log(`measured training loop at the essay's defaults (RunStepper), ${impl}: ${sps.toFixed(0)} steps/s`);
  }
  console.log(`(took ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

await main();
