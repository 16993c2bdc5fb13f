/**
 * npm run -s bench:page -- [--against DIR] [--rounds N] [--seconds S] [--widths 256,1024] [--step-widths 256,512,1024]
 *                         [--wide 4096] [--site DIR] [--build-only DIR] [--profile] [--json]
 *
 * What a reader feels, on the built site in headless Chromium (Debian's, or $CHROME_PATH):
 * - the main thread while the width figure trains (m = 256 and 1024, n = 32): busy fraction and longest
 *   task, in CPU time (thread ticks) from a trace, so other load on the machine does not count;
 *   the page marks the window's ends itself (performance.mark) and nothing polls it meanwhile;
 * - layout shift (the browser's, summed over the load) of the essay opened at its top and at #kernel;
 * - bytes (gzip -9 of the served files) fetched before first paint, for the essay and for one
 *   panel in embed.html (ntk), and the script each loads in all (main thread, and worker);
 * - the width figure's first curve point: after a jump to #figure-width from the essay open at
 *   #kernel, and after opening the essay at #figure-width;
 * - the worker's CPU per training step in the page (its thread's ticks over the steps the figure
 *   counted) against the same run stepped in Node on the same kernels (process CPU per step): the
 *   same config (the page's URL parameters), a record per step in both, and the wasm build the page's
 *   engine runs (relaxed or plain SIMD; Node 20 gets relaxed SIMD's flag). --profile adds each side's
 *   sampled CPU profile (self time by function; the worker's from the trace's v8.cpu_profiler);
 * - a wide run (--wide, m = 4096): the worker's CPU and the time from navigation to its first step.
 *
 * --against DIR measures a second build (e.g. one made earlier with --build-only from another
 * commit) in interleaved rounds with this one, so a change is reported as a ratio measured under
 * the same load. Not a test: the numbers depend on the machine; the load average is printed.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { buildSite, launchBrowser, serveStatic, type BrowserSession } from './chromium.ts';
import { startTrace, threadOf, threadTasks, type ProfileNode, type Task } from './chromiumTrace.ts';
import { readState } from '../src/state/urlState.ts';
import { Run } from '../src/train/run.ts';
import { RunStepper } from '../src/train/stepper.ts';
import { createWasmKernels, wasmKernelBytes, type WasmVariant } from '../src/net/wasmKernels.ts';
import { referenceKernels, type MatrixKernels } from '../src/net/kernels.ts';

interface Args {
  against: string | null;
  site: string | null;
  buildOnly: string | null;
  rounds: number;
  seconds: number;
  widths: number[];
  stepWidths: number[];
  wide: number; // the width whose set-up and first step are traced (0: none)
  profile: boolean; // print where the worker and Node spend a step's time
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { against: null, site: null, buildOnly: null, rounds: 2, seconds: 6, widths: [256, 1024], stepWidths: [256, 512, 1024], wide: 4096, profile: false, json: false };
  const list = (s: string) => s.split(',').map(Number).filter((x) => Number.isInteger(x) && x > 0);
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => argv[++i] ?? '';
    if (k === '--against') a.against = next();
    else if (k === '--site') a.site = next();
    else if (k === '--build-only') a.buildOnly = next();
    else if (k === '--rounds') a.rounds = Math.max(1, Number(next()) | 0);
    else if (k === '--seconds') a.seconds = Math.max(1, Number(next()));
    else if (k === '--widths') a.widths = list(next());
    else if (k === '--step-widths') a.stepWidths = list(next());
    else if (k === '--wide') a.wide = Number(next()) | 0;
    else if (k === '--json') a.json = true;
    else if (k === '--profile') a.profile = true;
    else {
      const usage = 'usage: npm run -s bench:page -- [--against DIR] [--rounds N] [--seconds S] [--widths a,b] [--step-widths a,b] [--wide M] [--site DIR] [--build-only DIR] [--profile] [--json]';
      if (k === '--help' || k === '-h') {
        console.log(usage);
        process.exit(0);
      }
      console.error(`bench:page: unknown flag ${k}\n${usage}`);
      process.exit(2);
    }
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));
const log = (s: string) => process.stderr.write(s + '\n');

// ---------- trace ----------

interface ThreadTasks {
  main: { wallMs: number; cpuMs: number }[];
  /** With a window the page marked: its length in ms (it ends at the first of its end marks). */
  windowMs: number;
  /** CPU ms per worker thread over the window. */
  workers: number[];
  /** With --profile: the busiest worker's sampled self time by function. */
  profile: SelfTime;
}

/** Sampled self time (ms) by function, "name file" (wasm functions by index: the same module on both sides). */
type SelfTime = Map<string, number>;

function selfTime(nodes: Map<number, ProfileNode>, samples: number[], deltasUs: number[], into: SelfTime = new Map()): SelfTime {
  for (let i = 0; i < samples.length; i++) {
    const f = nodes.get(samples[i])?.callFrame;
    if (!f) continue;
    const file = (f.url ?? '').split('/').pop()!.replace(/-[\w-]{8}\.js$/, '.js');
    const key = `${f.functionName || '(anonymous)'}${file && !/^[0-9a-f]{8}$/.test(file) ? ` ${file}` : ''}`;
    into.set(key, (into.get(key) ?? 0) + (deltasUs[i + 1] ?? 0) / 1000);
  }
  return into;
}

function printProfile(label: string, p: SelfTime, steps: number): void {
  const total = [...p.values()].reduce((a, b) => a + b, 0);
  log(`  ${label}: ${total.toFixed(0)} ms sampled over ${steps} steps`);
  for (const [k, ms] of [...p].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
    log(`    ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${(ms / steps).toFixed(3)} ms/step  ${k}`);
  }
}

/**
 * Traces the page's threads until the returned function is called. With `within`, only tasks that
 * start between those two marks count (a window the page marks itself, so the bench need not poll
 * the page: every poll is a task on its main thread, and would be counted as the page's work).
 */
async function trace(context: BrowserContext, page: Page, within?: { from: string; to: string[] }): Promise<() => Promise<ThreadTasks>> {
  const stop = await startTrace(context, page, ['blink.user_timing', ...(args.profile ? ['disabled-by-default-v8.cpu_profiler'] : [])]);
  return async () => {
    const t = await stop();
    const { events } = t;
    const marks = new Map<string, number>();
    for (const e of events) if (e.cat === 'blink.user_timing' && !marks.has(e.name)) marks.set(e.name, e.ts / 1000);
    const from = within ? marks.get(within.from) : undefined;
    const to = within ? Math.min(...within.to.map((n) => marks.get(n) ?? Infinity)) : Infinity;
    if (within && (from === undefined || !Number.isFinite(to))) throw new Error(`the page did not mark its window (${within.from} .. ${within.to.join(' or ')})`);
    const inWindow = (task: Task) => from === undefined || (task.start / 1000 >= from && task.start / 1000 < to);
    const main = threadTasks(t, 'CrRendererMain').filter(inWindow);
    const byWorker = new Map<string, number>();
    for (const task of threadTasks(t, /DedicatedWorker/).filter(inWindow)) byWorker.set(task.thread, (byWorker.get(task.thread) ?? 0) + (Number.isFinite(task.cpuMs) ? task.cpuMs : 0));
    // the busiest worker's profile: its Profile event names the id its ProfileChunks carry
    const busiest = [...byWorker].sort((a, b) => b[1] - a[1])[0]?.[0];
    const ids = new Set(events.filter((e) => e.name === 'Profile' && threadOf(e) === busiest).map((e) => e.id));
    const nodes = new Map<number, ProfileNode>();
    const profile: SelfTime = new Map();
    for (const e of events) {
      if (e.name !== 'ProfileChunk' || !ids.has(e.id)) continue;
      const d = e.args?.data;
      for (const n of d?.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
      selfTime(nodes, d?.cpuProfile?.samples ?? [], d?.timeDeltas ?? [], profile);
    }
    return { main, windowMs: to - (from ?? NaN), workers: [...byWorker.values()], profile };
  };
}

// ---------- page measurements ----------

const FIGURE = '[data-panel="width-convergence"]';

interface TrainingWindow {
  busy: number; // main-thread CPU / window
  longestCpuMs: number;
  longestWallMs: number;
  workerCpuMsPerStep: number;
  steps: number;
}

/**
 * The width figure's run in the training window, and the run Node steps against it: n = 32 and
 * c = 0.01 keep it training through the window at both widths (with n = 16 the run at m = 256
 * converges ~2 s in, and a window that ends with the run measures its last redraw).
 */
const trainingQuery = (m: number) => `width=${m}&n=32&lrscale=0.01&steps=1000000`;

async function trainingWindow(s: BrowserSession, url: string, m: number): Promise<TrainingWindow> {
  const { page, context } = s;
  await page.goto(`${url}?${trainingQuery(m)}`);
  await page.locator(FIGURE).scrollIntoViewIfNeeded();
  await page.waitForFunction((sel) => Number((document.querySelector(sel) as HTMLElement).dataset.step) >= 3, FIGURE, { timeout: 120_000, polling: 200 });
  await page.waitForTimeout(500);
  const end = await trace(context, page, { from: 'bench:window', to: ['bench:ended', 'bench:window-end'] });
  // the window closes early if the run ends: the page marks that moment and its step itself, so
  // nothing polls it in the window
  const a = await page.$eval(FIGURE, (f) => {
    const figure = f as HTMLElement;
    const w = window as unknown as { benchEndStep?: number };
    new MutationObserver((_, observer) => {
      if (figure.dataset.status === 'running') return;
      observer.disconnect();
      w.benchEndStep = Number(figure.dataset.step);
      performance.mark('bench:ended');
    }).observe(figure, { attributes: true, attributeFilter: ['data-status'] });
    performance.mark('bench:window');
    return Number(figure.dataset.step);
  });
  await new Promise((r) => setTimeout(r, args.seconds * 1000));
  const { b, status } = await page.$eval(FIGURE, (f) => {
    performance.mark('bench:window-end');
    const figure = f as HTMLElement;
    return { b: (window as unknown as { benchEndStep?: number }).benchEndStep ?? Number(figure.dataset.step), status: figure.dataset.status };
  });
  const t = await end();
  const ms = t.windowMs;
  const cpu = t.main.filter((x) => Number.isFinite(x.cpuMs));
  const busiest = Math.max(0, ...t.workers);
  if (status !== 'running') log(`  m = ${m}: the run ended (${status}) ${(ms / 1000).toFixed(1)} s into the window`);
  if (args.profile) printProfile(`page worker, m = ${m}`, t.profile, b - a);
  return {
    busy: cpu.reduce((x, y) => x + y.cpuMs, 0) / ms,
    longestCpuMs: Math.max(0, ...cpu.map((x) => x.cpuMs)),
    longestWallMs: Math.max(0, ...t.main.map((x) => x.wallMs)),
    workerCpuMsPerStep: b > a ? busiest / (b - a) : NaN,
    steps: b - a,
  };
}

interface Load {
  cls: number; // the layout shifts since navigation, summed (every one: no session windows)
  firstPaintMs: number;
  bytesBeforePaint: number; // gzip, every file fetched before first paint
  scriptBeforePaint: number; // the main thread's (a worker fetched before first paint is in bytesBeforePaint)
  scriptMain: number; // gzip of every script the page loaded in all (main thread), after it settled
  scriptWorker: number;
  files: string[];
}

function gzipOf(dir: string, url: string): number {
  let path = new URL(url).pathname;
  if (path.endsWith('/')) path += 'index.html';
  try {
    return gzipSync(readFileSync(join(dir, decodeURIComponent(path))), { level: 9 }).length;
  } catch {
    return 0;
  }
}

/** The layout shifts the page has had (the Layout Instability API, buffered), summed. */
function layoutShift(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((ok) => {
        let sum = 0;
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) sum += (e as unknown as { value: number }).value;
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => ok(sum), 100); // the buffered entries arrive in the observer's first callback
      }),
  );
}

async function load(s: BrowserSession, url: string, dir: string, path: string): Promise<Load> {
  const { page, context } = s;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const workerScripts = new Set<string>();
  const onWorker = (w: { url(): string }) => workerScripts.add(w.url());
  page.on('worker', onWorker);
  await page.goto(`${url}${path}`);
  await page.waitForTimeout(4000); // settled: panels that load late have loaded
  page.off('worker', onWorker);
  await cdp.detach();
  const cls = await layoutShift(page);
  const r = await page.evaluate(() => {
    const fp = performance.getEntriesByType('paint').find((e) => e.name === 'first-paint')?.startTime ?? NaN;
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    return { fp, res: res.map((e) => ({ name: e.name, end: e.responseEnd, type: e.initiatorType })), doc: location.href };
  });
  const before = [r.doc, ...r.res.filter((e) => e.end <= r.fp).map((e) => e.name)];
  const isScript = (u: string) => /\.js(\?|$)/.test(new URL(u).pathname);
  const mainScripts = r.res.map((e) => e.name).filter((u) => isScript(u) && !workerScripts.has(u));
  const sum = (us: string[]) => [...new Set(us)].reduce((x, u) => x + gzipOf(dir, u), 0);
  // a worker's imports are not in the page's resource timing: the worker's own file is what it loads
  return {
    cls,
    firstPaintMs: r.fp,
    bytesBeforePaint: sum(before),
    scriptBeforePaint: sum(before.filter((u) => isScript(u) && !workerScripts.has(u))), // the main thread's
    scriptMain: sum(mainScripts),
    scriptWorker: sum([...workerScripts]),
    files: [...new Set(mainScripts)].map((u) => new URL(u).pathname),
  };
}

/** Milliseconds from navigation to the width figure's first drawn point, arriving by a link to it. */
const firstCurvePoint = (sel: string) => (document.querySelector(`${sel} g.curve path`)?.getAttribute('d') ? performance.now() : false);

/**
 * From navigation to the width figure's first curve point: the essay loaded fresh at #figure-width
 * (`jump` false; ms from the navigation's start), or, already open at #kernel, the reader jumping to
 * it (`jump` true: the page's address gets #figure-width, as a link or Back would give it; ms from
 * the jump).
 */
async function firstPoint(s: BrowserSession, url: string, jump: boolean): Promise<number> {
  const { page } = s;
  let from = 0;
  if (jump) from = await page.evaluate(() => ((location.hash = '#figure-width'), performance.now()));
  else {
    await page.goto('about:blank'); // a fresh load: a goto that changes only the #id would be a jump within the page
    await page.goto(`${url}#figure-width`);
  }
  const h = await page.waitForFunction(firstCurvePoint, FIGURE, { timeout: 120_000, polling: 'raf' });
  return ((await h.jsonValue()) as number) - from;
}

/**
 * A wide run's set-up: the page opened at width m, traced from before navigation until the figure
 * counts its first update. The busiest worker thread's CPU is the run's set-up (data, weights, K_0),
 * its first record and its first step.
 */
async function firstStep(s: BrowserSession, url: string, m: number): Promise<{ workerCpuMs: number; wallMs: number }> {
  const { page, context } = s;
  await page.goto('about:blank');
  const end = await trace(context, page);
  await page.goto(`${url}?width=${m}#figure-width`);
  const h = await page.waitForFunction((sel) => Number((document.querySelector(sel) as HTMLElement | null)?.dataset.step) >= 1 && performance.now(), FIGURE, { timeout: 180_000, polling: 100 });
  const wallMs = (await h.jsonValue()) as number;
  const t = await end();
  log(`  first step m = ${m}: worker CPU ms ${t.workers.map((x) => x.toFixed(0)).join(', ') || 'none'}; ${wallMs.toFixed(0)} ms from navigation`);
  // The set-up is CPU-bound in a worker, most of the time from navigation: one task of about 1.35 s
  // here. Now and then (2 rounds in 10, in one test) the trace holds every other task of that worker
  // but not that one, and reads 230 ms where the other rounds read 1600. Such a round does not count,
  // rather than read as a fast set-up.
  const all = t.workers.reduce((a, b) => a + b, 0);
  if (all < 0.5 * wallMs) {
    log(`  (this round's trace holds ${all.toFixed(0)} ms of worker CPU in ${wallMs.toFixed(0)} ms: the set-up's task is missing; the round is left out)`);
    return { workerCpuMs: NaN, wallMs };
  }
  return { workerCpuMs: Math.max(0, ...t.workers), wallMs };
}

// ---------- Node ----------

// Node 20 validates relaxed SIMD only behind this flag (Chromium has it on), so that Node can run
// the build the page runs: comparing relaxed FMA in the page with plain SIMD in Node would not be fair.
setFlagsFromString('--experimental-wasm-relaxed-simd');

/** The wasm build the page's engine runs (what createWasmKernels picks there): null without SIMD. */
async function pageVariant(page: Page): Promise<WasmVariant | null> {
  const bytes = (['simd', 'relaxed-simd'] as const).map((v) => Buffer.from(wasmKernelBytes(v)).toString('base64'));
  // no named inner functions: tsx would wrap them in a helper the page does not have
  const [simd, relaxed] = await page.evaluate((b) => b.map((b64) => WebAssembly.validate(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)))), bytes);
  return simd ? (relaxed ? 'relaxed-simd' : 'simd') : null;
}

const nodeKernels = new Map<WasmVariant | null, MatrixKernels>();

/** Node's kernels of the page's build; says so when Node cannot run it. */
async function kernelsLike(variant: WasmVariant | null): Promise<MatrixKernels> {
  let k = nodeKernels.get(variant);
  if (!k) {
    k = (variant && (await createWasmKernels({ variant: variant === 'simd' ? 'simd' : 'auto' }))) || referenceKernels;
    const want = variant ? `wasm-${variant}` : referenceKernels.name;
    log(`  kernels: page ${want}, node ${k.name}${k.name === want ? '' : ' (NOT the same: the ratio compares different kernels)'}`);
    nodeKernels.set(variant, k);
  }
  return k;
}

/**
 * Process CPU per update of the page's run at width m (the same URL parameters the page was
 * opened with), stepped by RunStepper with the page's record per step, as the worker does.
 */
async function nodeStep(m: number, seconds: number, kernels: MatrixKernels): Promise<number> {
  const config = readState(new URLSearchParams(trainingQuery(m))).state.config; // the page's run
  const stepper = new RunStepper(new Run(config, kernels));
  stepper.advance(0);
  while (stepper.run.step < 3) stepper.advance(0);
  const session = args.profile ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const c0 = process.cpuUsage();
  const s0 = stepper.run.step;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) stepper.advance(12);
  const c = process.cpuUsage(c0);
  const steps = stepper.run.step - s0;
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const nodes = new Map(profile.nodes.map((n) => [n.id, n as ProfileNode]));
    printProfile(`node, m = ${m}`, selfTime(nodes, profile.samples ?? [], profile.timeDeltas ?? []), steps);
  }
  return (c.user + c.system) / 1000 / steps;
}

// ---------- run ----------

type Sample = Record<string, number>;

async function measureSite(s: BrowserSession, url: string, dir: string): Promise<Sample> {
  const out: Sample = {};
  for (const m of [...new Set([...args.widths, ...args.stepWidths])].sort((x, y) => x - y)) {
    const w = await trainingWindow(s, url, m);
    if (args.widths.includes(m)) {
      out[`main busy % m=${m}`] = 100 * w.busy;
      out[`longest task ms CPU m=${m}`] = w.longestCpuMs;
      out[`longest task ms wall m=${m}`] = w.longestWallMs;
    }
    if (args.stepWidths.includes(m)) {
      await s.page.goto('about:blank'); // the page's workers end: Node steps alone
      out[`worker ms CPU/step m=${m}`] = w.workerCpuMsPerStep;
      out[`node ms CPU/step m=${m}`] = await nodeStep(m, Math.min(args.seconds, 4), await kernelsLike(await pageVariant(s.page)));
      out[`page/node m=${m}`] = out[`worker ms CPU/step m=${m}`] / out[`node ms CPU/step m=${m}`];
    }
  }
  await s.page.goto('about:blank');
  const essay = await load(s, url, dir, '');
  const embed = await load(s, url, dir, 'embed.html?panel=ntk');
  await s.page.goto('about:blank'); // a fresh load, not a jump within the page
  const deep = await load(s, url, dir, '#kernel');
  Object.assign(out, {
    'essay layout shift (load)': essay.cls,
    'essay layout shift (opened at #kernel)': deep.cls,
    'essay first paint ms': essay.firstPaintMs,
    'essay KB gz before paint': essay.bytesBeforePaint / 1024,
    'essay script KB gz before paint': essay.scriptBeforePaint / 1024,
    'essay script KB gz, all (main)': essay.scriptMain / 1024,
    'essay script KB gz, worker': essay.scriptWorker / 1024,
    'embed(ntk) KB gz before paint': embed.bytesBeforePaint / 1024,
    'embed(ntk) script KB gz, all (main)': embed.scriptMain / 1024,
    'embed(ntk) script KB gz, worker': embed.scriptWorker / 1024,
  });
  log(`  essay scripts: ${essay.files.join(' ')}\n  embed scripts: ${embed.files.join(' ')}`);
  // what arrived before first paint is a race with the panels' dynamic imports: say it each round
  log(`  script before first paint (KB gz): essay ${(essay.scriptBeforePaint / 1024).toFixed(1)}, embed ${(embed.scriptBeforePaint / 1024).toFixed(1)}`);
  out['jump from #kernel to first curve point ms'] = await firstPoint(s, url, true); // the page is still at #kernel
  out['load at #figure-width to first curve point ms'] = await firstPoint(s, url, false);
  if (args.wide > 0) {
    const w = await firstStep(s, url, args.wide);
    out[`first step m=${args.wide}: worker ms CPU`] = w.workerCpuMs;
    out[`first step m=${args.wide}: ms from navigation`] = w.wallMs;
  }
  return out;
}

async function main(): Promise<void> {
  if (args.buildOnly) {
    const dir = await buildSite();
    await cp(dir, args.buildOnly, { recursive: true });
    await rm(dir, { recursive: true, force: true });
    log(`built into ${args.buildOnly}`);
    return;
  }
  const built = args.site ? null : await buildSite();
  const sites: { name: string; dir: string }[] = [{ name: 'this', dir: args.site ?? built! }];
  if (args.against) sites.unshift({ name: 'against', dir: args.against });
  const servers = await Promise.all(sites.map((x) => serveStatic(x.dir)));
  const samples: Sample[][] = sites.map(() => []);
  const loads: number[] = [loadavg()[0]];
  try {
    for (let r = 0; r < args.rounds; r++) {
      for (let i = 0; i < sites.length; i++) {
        const s = await launchBrowser(servers[i].url, { width: 1280, height: 900 });
        try {
          log(`round ${r + 1}/${args.rounds}: ${sites[i].name} (load ${loadavg()[0].toFixed(2)})`);
          samples[i].push(await measureSite(s, servers[i].url, sites[i].dir));
          loads.push(loadavg()[0]);
        } finally {
          await s.close();
        }
      }
    }
  } finally {
    for (const sv of servers) await sv.close();
    if (built) await rm(built, { recursive: true, force: true });
  }
  const median = (xs: number[]) => {
    const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
    return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : NaN;
  };
  const keys = Object.keys(samples[samples.length - 1][0]);
  const med = samples.map((ss) => Object.fromEntries(keys.map((k) => [k, median(ss.map((x) => x[k]))])));
  if (args.json) {
    console.log(JSON.stringify({ sites: sites.map((x, i) => ({ ...x, median: med[i], samples: samples[i] })), loadavg: loads }));
    return;
  }
  const f = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3)) : '-');
  const head = sites.length > 1 ? `| metric | ${sites[0].name} | ${sites[1].name} | ratio |` : '| metric | value |';
  console.log(`page bench, median of ${args.rounds} interleaved round(s), ${args.seconds} s windows; load average ${loads.map((x) => x.toFixed(2)).join(', ')} (2 cores)`);
  console.log(head);
  console.log(head.replace(/[^|]+/g, '---'));
  for (const k of keys) {
    if (sites.length > 1) console.log(`| ${k} | ${f(med[0][k])} | ${f(med[1][k])} | ${f(med[1][k] / med[0][k])} |`);
    else console.log(`| ${k} | ${f(med[0][k])} |`);
  }
}

await main();
