import AxeBuilder from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useSharedBrowser } from './sharedBrowser.ts';

/**
 * The rnn figure in the essay: it trains the recurrent network to convergence, measures the gradient
 * over time, keeps its width and length in the URL, is clean for axe, and fits 375 px.
 */
const SHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), 'wide-enough-screenshots');
const FIG = '[data-panel="rnn"]';

async function open(page: Page, baseUrl: string, query = ''): Promise<void> {
  await page.goto(`${baseUrl}${query}`);
  await page.locator(FIG).scrollIntoViewIfNeeded();
}

/** Waits until the run at `width` has converged (F <= 1e-3 F_0) and its gradient over time is drawn now and at init. */
async function waitConverged(page: Page, width: number): Promise<Record<string, string>> {
  await page.waitForFunction(
    ({ sel, width }) => {
      const f = document.querySelector<HTMLElement>(sel);
      const g = f?.querySelector<HTMLElement>('.rnn-gradient');
      return f?.dataset.width === String(width) && f.dataset.status === 'converged' && Number(g?.dataset.curves) >= 2;
    },
    { sel: FIG, width },
    { timeout: 150_000, polling: 200 },
  );
  return page.locator(FIG).evaluate((f: HTMLElement) => ({ ...f.dataset, growth: f.querySelector<HTMLElement>('.rnn-gradient')!.dataset.growth ?? '' }));
}

describe('the rnn figure', () => {
  const baseUrl = inject('baseUrl');
  const b = useSharedBrowser(baseUrl);

  it('trains the RNN to F <= 1e-3 F_0 and draws its gradient over time with a verdict', async () => {
    const { page } = b;
    await open(page, baseUrl, '?rnn-length=5');
    const d = await waitConverged(page, 128);
    expect(Number(d.loss)).toBeLessThanOrEqual(1e-3 * Number(d.loss0));
    expect(['explodes', 'vanishes', 'neither', 'unclear']).toContain(d.growth);
    const verdict = await page.locator(`${FIG} .rnn-verdict`).textContent();
    expect(verdict).toMatch(/m = 128 at initialization: \u03b3 = \d\.\d{3} \(95% interval \d\.\d{3} to \d\.\d{3}\)/);
    expect(await page.locator(`${FIG} figcaption`).textContent()).toMatch(/length T = 5/);
    // the essay quotes the live run
    await expect.poll(() => page.locator('[data-bind="rnn.steps"]').getAttribute('data-filled')).toBe('live');
    expect(await page.locator('[data-bind="rnn.steps"]').textContent()).toBe(Number(d.step).toLocaleString('en-US'));
  }, 180_000);

  it('the slider and the length buttons train anew and land in the URL; a reload restores them', async () => {
    const { page } = b;
    await open(page, baseUrl, '?rnn-length=5');
    const thumb = page.locator(FIG).getByRole('slider');
    await thumb.focus();
    await page.keyboard.press('ArrowLeft'); // 128 -> 96
    expect(await thumb.getAttribute('aria-valuenow')).toBe('96');
    await expect.poll(() => new URL(page.url()).searchParams.get('rnn-width')).toBe('96');
    await waitConverged(page, 96);
    await page.locator(`${FIG} button[data-value="last"]`).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('rnn-gradient')).toBe('last');
    await page.reload();
    await page.locator(FIG).scrollIntoViewIfNeeded();
    // the panel mounts as it nears the window, and its slider takes the link's value on its first draw
    await expect.poll(() => thumb.getAttribute('aria-valuenow'), { timeout: 20_000 }).toBe('96');
    expect(await page.locator(`${FIG} button[data-value="5"]`).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator(`${FIG} button[data-value="last"]`).getAttribute('aria-pressed')).toBe('true');
    await page.locator(`${FIG} button[data-value="10"]`).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('rnn-length')).toBe(null); // 10 is the default
    await expect.poll(() => page.locator(`${FIG} figcaption`).textContent()).toMatch(/length T = 10/);
  }, 180_000);

  it('is clean for axe and fits 375 px', async () => {
    const { page } = b;
    await mkdir(SHOTS, { recursive: true });
    await open(page, baseUrl, '?rnn-length=5');
    await waitConverged(page, 128);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const results = await new AxeBuilder({ page }).include(FIG).analyze();
      expect(results.violations.map((v) => `${scheme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.locator(FIG).screenshot({ path: join(SHOTS, 'rnn-1280.png') });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.waitForFunction((sel) => [...document.querySelectorAll(`${sel} svg`)].every((s) => s.getBoundingClientRect().right <= 375), FIG);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await page.locator(FIG).screenshot({ path: join(SHOTS, 'rnn-375.png') });
  }, 180_000);
});
