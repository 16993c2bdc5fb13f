/**
 * Measures the figure in Chromium: training steps per second at several widths (one run at a
 * time, on the page's own worker and kernels) and the main thread's longest task and frame gap.
 * Not a test (its numbers depend on the machine); run it with
 *
 *   npx tsx tests/browser/measureRates.ts [widths...]     (default: 64 512 4096)
 *
 * Each width trains at step-size scale c = 0.01 with a large step limit, so the run is still
 * going while it is timed (the cost of an update does not depend on the step size).
 */
import { rm } from 'node:fs/promises';
import { buildSite, launchBrowser, serveStatic } from './harness.ts';
import { FIGURE, figureState } from './panel.ts';

const widths = process.argv.slice(2).map(Number).filter((m) => m > 0);
if (widths.length === 0) widths.push(64, 512, 4096);

// A string, not a function: tsx would wrap a function's inner closures in a helper the page lacks.
const WATCH_MAIN_THREAD = `
  window.__perf = { tasks: [], maxGap: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__perf.tasks.push([Math.round(e.startTime), Math.round(e.duration)]);
  }).observe({ type: 'longtask', buffered: true });
  let last = -1;
  const tick = (t) => {
    if (last >= 0) window.__perf.maxGap = Math.max(window.__perf.maxGap, t - last);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
`;

const outDir = await buildSite();
const server = await serveStatic(outDir);
const session = await launchBrowser(server.url, { width: 1280, height: 900 });
const { page } = session;
await session.context.addInitScript(WATCH_MAIN_THREAD);
const rows: string[] = [];
try {
  for (const m of widths) {
    await page.goto(`${server.url}?width=${m}&lrscale=0.01&steps=1000000`);
    await page.locator(FIGURE).scrollIntoViewIfNeeded();
    const t0 = Date.now();
    await page.waitForFunction((sel) => Number((document.querySelector(sel) as HTMLElement).dataset.step) >= 2, FIGURE, { timeout: 120_000 });
    const setupS = (Date.now() - t0) / 1000;
    const since = await page.evaluate(() => {
      (window as unknown as { __perf: { maxGap: number } }).__perf.maxGap = 0;
      return performance.now();
    });
    // short enough that the run is still going when it closes (at c = 0.01, m = 64 converges in ~3 s)
    const windowMs = m >= 2048 ? 15_000 : m >= 512 ? 6_000 : 1_500;
    const a = await figureState(page);
    const ta = Date.now();
    await page.waitForTimeout(windowMs);
    const b = await figureState(page);
    const tb = Date.now();
    const rate = await page.getByTestId('rate-value').textContent();
    const perf = await page.evaluate(() => (window as unknown as { __perf: { tasks: [number, number][]; maxGap: number } }).__perf);
    const before = perf.tasks.filter(([t]) => t < since).map(([, d]) => d);
    const during = perf.tasks.filter(([t]) => t >= since).map(([, d]) => d);
    const outside = (b.step - a.step) / ((tb - ta) / 1000);
    if (b.status !== 'running') console.log(`m = ${m}: the run ended (${b.status}) inside the window; the rate is an underestimate`);
    rows.push(
      `m = ${String(m).padStart(4)}: ${outside.toFixed(1).padStart(7)} steps/s (page counter), worker says ${rate}; ` +
        `first 2 steps after ${setupS.toFixed(1)} s; long tasks: [${before.join(', ')}] ms before training, ` +
        `[${during.join(', ')}] ms while timed; longest frame gap while timed: ${perf.maxGap.toFixed(1)} ms`,
    );
    console.log(rows[rows.length - 1]);
  }
  const problems = session.problems();
  if (problems.length) console.log('console problems:', problems);
} finally {
  await session.close();
  await server.close();
  await rm(outDir, { recursive: true, force: true });
}
