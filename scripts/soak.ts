/**
 * Soak test (not part of npm test): does the page hold its memory and its workers over minutes of
 * use? `npx tsx scripts/soak.ts [--minutes 5] [--embed-minutes 3]`
 *
 * 1. The essay: drags the width slider back and forth (each release starts a run and stops the
 *    one before) for --minutes.
 * 2. A page of three <wide-enough-panel> elements far apart, scrolled in and out of view (panels
 *    train only on screen) for --embed-minutes.
 *
 * Each phase first warms up (a minute and at least one full cycle, so that the chart holds its
 * curves and the worker pool has started), then every 30 s forces a garbage collection over CDP (HeapProfiler.collectGarbage)
 * and records the page's JS heap (Runtime.getHeapUsage) and page.workers().length. It prints a
 * table per phase and a verdict: the heap at the end is at most 5% above the heap at the start (a
 * fall is no leak), and the number of workers is the same at every sample. Exits 0 if both phases
 * pass, 1 if not. Builds and serves the site as the browser tests do (scripts/chromium.ts).
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { buildSite, launchBrowser, serveStatic, type BrowserSession } from './chromium.ts';

const SAMPLE_EVERY_MS = 30_000;
const WARM_UP_MS = 60_000;
const HEAP_SLACK = 0.05;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    process.stderr.write(`soak: --${name}: got ${JSON.stringify(process.argv[i + 1] ?? '')}, expected a positive number of minutes\n`);
    process.exit(2);
  }
  return v;
}

const minutes = flag('minutes', 5);
const embedMinutes = flag('embed-minutes', Math.min(minutes, 3));

interface Sample {
  t: number; // seconds since the phase's baseline
  heapMiB: number;
  workers: number;
  nodes: number; // DOM nodes, documents and JS event listeners (CDP Memory.getDOMCounters): a leak of
  listeners: number; // views or handlers shows here first
  actions: number; // drags or scrolls so far
  curves: string; // the essay figure's curves on the chart (data-curves), '' on the embed page
}

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  // twice: the first collection can leave garbage that finalizers freed only then
  for (let i = 0; i < 2; i++) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 2 ** 20;
}

/**
 * Runs `act` over and over for `ms`, sampling every 30 s. The baseline is taken after a warm-up of
 * at least `warmUp` actions and WARM_UP_MS: by then the chart holds its full set of curves (the
 * essay keeps up to 8, each with its run's records) and the worker pool has started, so the start
 * and the end compare the same kind of page.
 */
async function soak(page: Page, label: string, ms: number, act: (i: number) => Promise<void>, warmUp: number): Promise<Sample[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  let actions = 0;
  const warmUntil = Date.now() + WARM_UP_MS;
  for (; actions < warmUp || Date.now() < warmUntil; actions++) await act(actions);
  const t0 = Date.now();
  const samples: Sample[] = [];
  const sample = async () => {
    const heapMiB = await heapAfterGc(cdp);
    const dom = await cdp.send('Memory.getDOMCounters');
    const curves = await page.evaluate(() => (document.querySelector('[data-panel="width-convergence"]') as HTMLElement | null)?.dataset.curves ?? '');
    const s = { t: Math.round((Date.now() - t0) / 1000), heapMiB, workers: page.workers().length, nodes: dom.nodes, listeners: dom.jsEventListeners, actions, curves };
    samples.push(s);
    process.stdout.write(`  [${label}] t=${s.t}s heap=${s.heapMiB.toFixed(2)} MiB workers=${s.workers} nodes=${s.nodes} listeners=${s.listeners} actions=${s.actions}${curves ? ` curves=${curves}` : ''}\n`);
  };
  await sample();
  let next = t0 + SAMPLE_EVERY_MS;
  while (Date.now() - t0 < ms) {
    await act(actions++);
    if (Date.now() >= next) {
      await sample();
      next += SAMPLE_EVERY_MS;
    }
  }
  if (Date.now() - t0 - samples[samples.length - 1].t * 1000 > 5_000) await sample(); // the end, unless just sampled
  await cdp.detach();
  return samples;
}

interface Verdict {
  label: string;
  samples: Sample[];
  heapOk: boolean;
  workersOk: boolean;
  problems: string[];
}

function verdict(label: string, samples: Sample[], problems: string[]): Verdict {
  const start = samples[0];
  const end = samples[samples.length - 1];
  return {
    label,
    samples,
    heapOk: end.heapMiB <= start.heapMiB * (1 + HEAP_SLACK),
    workersOk: samples.every((s) => s.workers === start.workers),
    problems,
  };
}

function report(v: Verdict): string {
  const start = v.samples[0];
  const end = v.samples[v.samples.length - 1];
  const rows = v.samples.map(
    (s) => `| ${String(s.t).padStart(5)} | ${s.heapMiB.toFixed(2).padStart(9)} | ${String(s.workers).padStart(7)} | ${String(s.nodes).padStart(6)} | ${String(s.listeners).padStart(9)} | ${String(s.actions).padStart(7)} | ${s.curves.padStart(6)} |`,
  );
  const change = ((end.heapMiB / start.heapMiB - 1) * 100).toFixed(1);
  return [
    `## ${v.label}`,
    '|   t/s | heap/MiB  | workers |  nodes | listeners | actions | curves |',
    '| ----- | --------- | ------- | ------ | --------- | ------- | ------ |',
    ...rows,
    `heap after GC: ${start.heapMiB.toFixed(2)} MiB at start, ${end.heapMiB.toFixed(2)} MiB at end (${change}%, max ${Math.max(...v.samples.map((s) => s.heapMiB)).toFixed(2)}): ${v.heapOk ? 'PASS' : 'FAIL'} (end <= start + ${HEAP_SLACK * 100}%)`,
    `workers: ${[...new Set(v.samples.map((s) => s.workers))].join(', ')}: ${v.workersOk ? 'PASS' : 'FAIL'} (constant)`,
    `DOM nodes ${start.nodes} -> ${end.nodes}, JS event listeners ${start.listeners} -> ${end.listeners} (for reading, not in the verdict)`,
    `console errors/warnings and page errors: ${v.problems.length}${v.problems.length ? `\n  ${v.problems.slice(0, 5).join('\n  ')}` : ''}`,
  ].join('\n');
}

const WIDTHS = [32, 64, 128, 256, 512, 256, 128, 64]; // back and forth: each release starts a run

async function essayPhase(b: BrowserSession, baseUrl: string): Promise<Verdict> {
  const { page } = b;
  b.log.length = 0;
  await page.goto(baseUrl);
  const fig = page.locator('[data-panel="width-convergence"]');
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('slider').waitFor();
  const rail = fig.locator('.log-slider-rail');
  const thumb = fig.getByRole('slider');
  const dragTo = async (i: number) => {
    await fig.scrollIntoViewIfNeeded();
    const r = (await rail.boundingBox())!;
    const t = (await thumb.boundingBox())!;
    const w = WIDTHS[i % WIDTHS.length];
    const x = r.x + (r.width * Math.log(w / 8)) / Math.log(4096 / 8);
    const y = t.y + t.height / 2;
    await page.mouse.move(t.x + t.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(x + (i % 2 ? 30 : -30), y, { steps: 4 }); // overshoot, then come back
    await page.mouse.move(x, y, { steps: 4 });
    await page.mouse.up();
    await page.waitForTimeout(1500); // the run trains a while before the next drag stops it
  };
  const samples = await soak(page, 'essay', minutes * 60_000, dragTo, WIDTHS.length);
  return verdict(`essay: width slider dragged for ${minutes} min`, samples, b.problems());
}

async function embedPhase(b: BrowserSession, baseUrl: string, siteDir: string): Promise<Verdict> {
  const { page } = b;
  b.log.length = 0;
  const spacer = '<div style="height:2400px"></div>';
  const panels = ['width="64"', 'width="256" depth="3"', 'width="128" arch="resnet"'].map((a) => `<wide-enough-panel panel="width-convergence" n="8" d="8" ${a}></wide-enough-panel>`);
  await writeFile(
    join(siteDir, 'soak-embed.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>soak</title><script type="module" src="embed/wide-enough-panel.js"></script></head><body>${spacer}${panels.join(spacer)}${spacer}</body></html>`,
  );
  await page.goto(new URL('soak-embed.html', baseUrl).href);
  await page.waitForFunction(() => [...document.querySelectorAll('wide-enough-panel')].every((el) => el.shadowRoot?.querySelector('figure')));
  const scroll = async (i: number) => {
    // panel 0, off screen, panel 1, off screen, panel 2, off screen, ...
    const k = i % 6;
    if (k % 2 === 0) await page.evaluate((j) => document.querySelectorAll('wide-enough-panel')[j].scrollIntoView({ block: 'center' }), k / 2);
    else await page.evaluate((j) => window.scrollTo(0, (document.querySelectorAll('wide-enough-panel')[j] as HTMLElement).offsetTop + 1400), (k - 1) / 2);
    await page.waitForTimeout(1500);
  };
  const samples = await soak(page, 'embed', embedMinutes * 60_000, scroll, 6);
  return verdict(`embed: three <wide-enough-panel> elements scrolled in and out for ${embedMinutes} min`, samples, b.problems());
}

async function main(): Promise<void> {
  process.stdout.write('building the site and the embed library...\n');
  const siteDir = await buildSite();
  const server = await serveStatic(siteDir);
  const results: Verdict[] = [];
  try {
    for (const phase of [essayPhase, embedPhase]) {
      const b = await launchBrowser(server.url, { width: 1280, height: 900 });
      try {
        results.push(await phase(b, server.url, siteDir));
      } finally {
        await b.close();
      }
    }
  } finally {
    await server.close();
    await rm(siteDir, { recursive: true, force: true });
  }
  process.stdout.write(`\n${results.map(report).join('\n\n')}\n`);
  const ok = results.every((v) => v.heapOk && v.workersOk);
  process.stdout.write(`\nverdict: ${ok ? 'PASS' : 'FAIL'}\n`);
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  process.stderr.write(`soak: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
