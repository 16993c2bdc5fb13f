import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchBrowser, type BrowserSession } from './harness.ts';

/** Screenshots go to $SCREENSHOT_DIR, else a fixed temp dir (overwritten each run, never committed). */
const SHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), 'wide-enough-screenshots');

describe('the essay page', () => {
  const baseUrl = inject('baseUrl');
  // Launched by the first test that needs it. Without Chromium every test fails with the launch
  // error (how to install it) rather than being skipped, as a failing beforeAll would make them.
  let launched: Promise<BrowserSession> | undefined;
  let b: BrowserSession;

  beforeEach(async () => {
    launched ??= launchBrowser(baseUrl, { width: 1280, height: 900 });
    b = await launched;
  });

  afterAll(async () => {
    const session = await launched?.catch(() => undefined);
    await session?.close();
  });

  const readout = async () => {
    const [step, loss, status] = await Promise.all(
      ['step-value', 'loss-value', 'run-status'].map((id) => b.page.getByTestId(id).textContent()),
    );
    return { step: Number(step), loss: Number(loss), status: status ?? '' };
  };

  it('loads the essay shell with its live figure', async () => {
    const { page } = b;
    await page.goto(baseUrl);
    expect(await page.title()).toBe('Wide Enough: why SGD finds global minima of wide ReLU networks');
    await expect.poll(() => page.locator('figure[data-panel="loss-live"] svg').count()).toBe(1);
    expect(await page.locator('figure[data-panel="loss-live"] figcaption').textContent()).toMatch(/m = 256/);
  });

  it('trains: the loss shown falls by more than 10x while the step count grows', async () => {
    const { page } = b;
    await page.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-testid="step-value"]')?.textContent ?? ''));
    const before = await readout();
    // Read again several seconds later; on a busy machine keep reading (up to 30 s more) until the
    // loss has fallen 10x or the run has ended.
    await page.waitForTimeout(4000);
    let after = await readout();
    for (let t = 0; t < 30 && after.loss >= before.loss / 10 && /training|paused/.test(after.status); t++) {
      await page.waitForTimeout(1000);
      after = await readout();
    }
    expect(Number.isFinite(before.loss) && before.loss > 0, `first loss ${before.loss}`).toBe(true);
    expect(after.step).toBeGreaterThan(before.step);
    expect(after.loss, `loss ${before.loss} at step ${before.step} -> ${after.loss} at step ${after.step}`).toBeLessThan(
      before.loss / 10,
    );
    expect(after.status).not.toMatch(/error|diverged/);
    expect(await page.locator('.loss-line').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
  });

  it('lays out at 1280 and 375 px, light and dark, without horizontal scrolling', async () => {
    const { page } = b;
    await mkdir(SHOTS, { recursive: true });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.screenshot({ path: join(SHOTS, 'page-1280.png'), fullPage: true });
    expect(await overflow()).toBe(0);

    await page.setViewportSize({ width: 375, height: 812 });
    await page.waitForFunction(() => (document.querySelector('.loss-chart')?.getBoundingClientRect().right ?? 1e9) <= 375);
    expect(await overflow()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'page-375.png'), fullPage: true });

    await page.emulateMedia({ colorScheme: 'dark' });
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(21, 21, 23)');
    await page.screenshot({ path: join(SHOTS, 'page-375-dark.png'), fullPage: true });
    console.log(`screenshots in ${SHOTS}`);
  });

  it('logged no console errors or warnings, threw no page errors, and fetched nothing off-site', () => {
    expect(b.problems()).toEqual([]);
    expect(b.offsite).toEqual([]);
  });
});
