import AxeBuilder from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useSharedBrowser } from './sharedBrowser.ts';

/**
 * The section "Beyond the training loss": the generalization and lazy-rich figures train in the
 * workers to their ends, quote their numbers into the essay, answer their sliders (keyboard) and
 * write the choice into the URL; a link with the choices opens them there; axe finds nothing; each
 * fits a 375 px phone.
 */
const SHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), 'wide-enough-screenshots');
const sel = (id: string) => `[data-panel="${id}"]`;
const GEN_RUNS = 15; // 7 widths at n = 32, and 4 more n at each of 2 widths
const LR_RUNS = 9;

async function waitDone(page: Page, id: string, runs: number): Promise<void> {
  // a locator: it reaches into the embed's shadow root too
  const fig = page.locator(sel(id));
  await fig.scrollIntoViewIfNeeded();
  await expect
    .poll(() => fig.evaluate((f: HTMLElement) => `${f.dataset.runState}:${f.dataset.done}`), { timeout: 170_000, interval: 250 })
    .toBe(`done:${runs}`);
}

const bound = (page: Page, key: string) => page.locator(`[data-bind="${key}"]`).first().textContent();
const thumb = (page: Page, id: string) => page.locator(`${sel(id)} [role="slider"]`);

function violations(found: Awaited<ReturnType<AxeBuilder['analyze']>>): string[] {
  return found.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('the generalization and lazy-rich figures', () => {
  const baseUrl = inject('baseUrl');
  const b = useSharedBrowser(baseUrl);

  it('train to their ends, fill the essay\u2019s sentences, move with their sliders into the URL, axe clean', async () => {
    const { page } = b;
    await mkdir(SHOTS, { recursive: true });
    await page.goto(baseUrl);

    await waitDone(page, 'generalization', GEN_RUNS);
    const gen = page.locator(sel('generalization'));
    expect(await gen.locator('circle.curve-dot').count()).toBeGreaterThanOrEqual(7 * 3 + 2 * 5 * 2);
    expect(await bound(page, 'generalization.growth')).toMatch(/^(fell|rose) from \d/);
    expect(await bound(page, 'generalization.beats')).toMatch(/(below|within 2% of|above) its kernel’s at/);
    expect(await bound(page, 'generalization.nFallM64')).toMatch(/ at n = 8 to .* at n = 128$/);
    expect(await gen.getAttribute('data-width')).toBe('256');
    await thumb(page, 'generalization').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => gen.getAttribute('data-width')).toBe('512');
    await expect.poll(() => page.evaluate(() => new URL(location.href).searchParams.get('generalization-width'))).toBe('512');
    expect(await gen.locator('h3', { hasText: 'Along training' }).textContent()).toBe('Along training, m = 512');
    await gen.screenshot({ path: join(SHOTS, 'generalization-1280.png') });

    await waitDone(page, 'lazy-rich', LR_RUNS);
    const lr = page.locator(sel('lazy-rich'));
    expect(await lr.locator('circle.curve-dot').count()).toBeGreaterThanOrEqual(9 * 5);
    expect(await bound(page, 'lazy-rich.distSlope')).toMatch(/^−?\d\.\d\d \(95% interval .*\), (consistent with|steeper than|shallower than) the −1 of lazy training$/);
    expect(await bound(page, 'lazy-rich.verdict')).toMatch(/^(not )?below the kernel’s /);
    await thumb(page, 'lazy-rich').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => lr.getAttribute('data-alpha')).toBe('0.01');
    await expect.poll(() => page.evaluate(() => new URL(location.href).searchParams.get('lazy-rich-alpha'))).toBe('0.01');
    expect(await lr.locator('.theory-numbers').textContent()).toMatch(/^α = 0\.01: distance /);
    expect(await thumb(page, 'lazy-rich').getAttribute('aria-valuetext')).toBe('α = 0.01, toward feature learning');
    await lr.screenshot({ path: join(SHOTS, 'lazy-rich-1280.png') });

    expect(violations(await new AxeBuilder({ page }).include('#generalization').analyze())).toEqual([]);
  }, 180_000);

  it('a link (and an embed) with the panels\u2019 choices opens them there; a value off the list is a notice', async () => {
    const { page } = b;
    await page.goto(`${baseUrl}?generalization-width=64&lazy-rich-alpha=0.1#generalization`);
    // each panel mounts as it nears the window, and its slider takes the link's value on its first draw
    await page.locator(sel('lazy-rich')).scrollIntoViewIfNeeded();
    await expect.poll(() => thumb(page, 'generalization').getAttribute('aria-valuenow'), { timeout: 20_000 }).toBe('64');
    await expect.poll(() => thumb(page, 'lazy-rich').getAttribute('aria-valuenow'), { timeout: 20_000 }).toBe('0.1');
    await page.goto(`${baseUrl}?lazy-rich-alpha=0.2`);
    await expect.poll(() => page.locator('[data-notices] li').allTextContents()).toEqual([expect.stringMatching(/^output scale α: "0.2" is not one of 0.01, .*; using 1$/)]);
    await page.locator(sel('lazy-rich')).scrollIntoViewIfNeeded();
    await expect.poll(() => thumb(page, 'lazy-rich').getAttribute('aria-valuenow'), { timeout: 20_000 }).toBe('1');
    await page.goto(new URL('embed.html?panel=lazy-rich&lazy-rich-alpha=30', baseUrl).href);
    await waitDone(page, 'lazy-rich', LR_RUNS);
    expect(await page.locator(`${sel('lazy-rich')} .theory-numbers`).textContent()).toMatch(/^α = 30: distance /);
  }, 180_000);

  it('375 px: both figures fit a phone and draw', async () => {
    const { page } = b;
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${baseUrl}#generalization`);
    for (const id of ['generalization', 'lazy-rich']) {
      await page.locator(sel(id)).scrollIntoViewIfNeeded();
      await page.locator(`${sel(id)} path.curve-line[d^="M"]`).first().waitFor({ state: 'attached', timeout: 60_000 });
      const overflow = await page.locator(sel(id)).evaluate((f: HTMLElement) => f.scrollWidth - f.clientWidth);
      expect(overflow, `${id} overflows at 375 px`).toBeLessThanOrEqual(1);
      await page.locator(sel(id)).screenshot({ path: join(SHOTS, `${id}-375.png`) });
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  }, 180_000);
});
