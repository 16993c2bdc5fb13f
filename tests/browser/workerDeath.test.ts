import { afterAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, type BrowserSession } from './harness.ts';
import { figure, figureState, openFigure } from './panel.ts';

/**
 * A training worker that stops without a word (close() inside it: no error event reaches the page)
 * must not leave its figure on "Training..." forever: the pool notices the silence, the figure says
 * the run failed and why, and the next run trains on a fresh worker.
 */
describe('a training worker that dies silently', () => {
  const baseUrl = inject('baseUrl');
  let session: BrowserSession | undefined;

  afterAll(async () => {
    await session?.close();
  });

  it('is noticed: the figure says so, and Reset trains again on a fresh worker', async () => {
    // closed at the end of this test, not after the file: its run (minutes long) must not load the
    // machine under the next test
    session = await launchBrowser(baseUrl, { width: 1280, height: 900 });
    const { page } = session;
    // a slow step size keeps the run going for minutes, so it is still training when its worker goes
    await openFigure(page, baseUrl, '?width=512&lrscale=0.01&steps=1000000');
    await expect.poll(async () => (await figureState(page)).step, { timeout: 90_000, interval: 250 }).toBeGreaterThan(5);
    expect((await figureState(page)).status).toBe('running');

    const workers = page.workers();
    expect(workers.length).toBeGreaterThan(0);
    for (const w of workers) await w.evaluate(() => (self as unknown as { close(): void }).close()).catch(() => undefined);

    await expect.poll(async () => (await figureState(page)).status, { timeout: 60_000, interval: 500 }).toBe('error');
    await expect(figure(page).getByTestId('run-status').textContent()).resolves.toMatch(/stopped answering/);

    await figure(page).getByRole('button', { name: /reset/i }).click();
    await expect.poll(async () => (await figureState(page)).status, { timeout: 90_000, interval: 250 }).toBe('running');
    const before = (await figureState(page)).step;
    await expect.poll(async () => (await figureState(page)).step, { timeout: 60_000, interval: 250 }).toBeGreaterThan(before + 5);
    expect(session.problems().filter((p) => !/stopped answering/.test(p))).toEqual([]);
    await session.close();
    session = undefined;
  });

  it('in a figure of several runs: the figure says which failed and why, and Train again trains them to the end', async () => {
    const b = await launchBrowser(baseUrl, { width: 1280, height: 900 });
    try {
      const { page } = b;
      // the panel alone (embed.html), so the page's workers train only its runs; the first two
      // workers the page starts close themselves at once (as if they had crashed), so the runs
      // given to them fail, whatever the machine's speed; later workers are left alone
      let closing = 2;
      page.on('worker', (w) => {
        if (closing-- > 0) void w.evaluate(() => (self as unknown as { close(): void }).close()).catch(() => undefined);
      });
      await page.goto(`${baseUrl}embed.html?panel=gradient-bound`);
      const fig = page.locator('wide-enough-panel');
      const status = fig.locator('[role=status]').first();
      const failure = fig.locator('.figure-failure');
      // both dead workers' runs fail: each worker is noticed once it has been silent 10 s, whether
      // or not it confirmed its run before it closed (so not necessarily at the same ping); the
      // notice counts them, and one press of Train again trains both
      await expect.poll(async () => ((await failure.isVisible()) ? await failure.textContent() : ''), { timeout: 60_000, interval: 500 }).toMatch(
        /^2 runs of this figure failed: the training worker stopped answering/,
      );
      await failure.getByRole('button', { name: 'Train again' }).click();
      await expect.poll(() => failure.isVisible(), { timeout: 10_000 }).toBe(false);
      await expect.poll(async () => (await status.textContent()) ?? '', { timeout: 120_000, interval: 500 }).toBe('All widths done.');
      expect(b.problems().filter((p) => !/stopped answering/.test(p))).toEqual([]);
    } finally {
      await b.close();
    }
  });
});
