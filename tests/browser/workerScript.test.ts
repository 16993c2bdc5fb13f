import { afterAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, serveStatic, type BrowserSession, type StaticServer } from './harness.ts';
import { FIGURE } from './panel.ts';

/**
 * The training worker's script is fetched once a page, and its workers are kept: every figure's
 * runs go to the page's one pool, whose workers all start from the one script URL (so the
 * browser's HTTP cache serves every worker after the first) and stay for the next run. The site is
 * served as GitHub Pages serves it (cacheable for 10 minutes); the test counts the requests that
 * reach the server for the worker script while two figures train several runs, and the workers
 * the page starts.
 */
const WORKER_SCRIPT = /^\/assets\/worker-[\w-]+\.js$/;

describe('the training worker script', () => {
  const siteDir = inject('siteDir');
  let server: StaticServer | undefined;
  let session: BrowserSession | undefined;

  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('is fetched once for a page whose figures train several runs, on workers kept across runs', async () => {
    const fetched: string[] = [];
    server = await serveStatic(siteDir, {
      headers: (path) => {
        if (WORKER_SCRIPT.test(path)) fetched.push(path);
        return { 'cache-control': 'public, max-age=600' };
      },
    });
    session = await launchBrowser(server.url, { width: 1280, height: 900 }, { httpCache: true });
    const { page } = session;
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
    const runState = (sel: string) => page.$eval(sel, (f) => (f as HTMLElement).dataset.runState ?? '');
    const trainToEnd = async (sel: string) => {
      await page.locator(sel).scrollIntoViewIfNeeded();
      await expect.poll(() => runState(sel), { timeout: 150_000, interval: 250 }).toBe('done');
    };

    await page.goto(`${server.url}?width=256`);
    // the fit figure's run, the width figure's run, then its comparison of four widths (each panel
    // mounts as it nears the window: trainToEnd scrolls to it first)
    await trainToEnd('[data-panel="fit"]');
    await trainToEnd(FIGURE);
    await page.locator(FIGURE).getByRole('button', { name: /compare/i }).click();
    await expect.poll(() => page.$eval(FIGURE, (f) => Number((f as HTMLElement).dataset.curves)), { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
    await trainToEnd(FIGURE);

    const poolSize = await page.evaluate(() => Math.max(1, Math.min(4, Math.floor(navigator.hardwareConcurrency || 2))));
    expect(workers.length).toBeGreaterThan(0);
    expect(new Set(workers).size, `worker scripts: ${[...new Set(workers)].join(', ')}`).toBe(1);
    expect(WORKER_SCRIPT.test(workers[0])).toBe(true);
    // the runs went to workers the pool kept: never more of them than it holds
    expect(workers.length).toBeLessThanOrEqual(poolSize);
    expect(fetched, 'requests for the worker script that reached the server').toEqual([workers[0]]);
    expect(session.problems()).toEqual([]);
    expect(session.offsite).toEqual([]);
  });
});
