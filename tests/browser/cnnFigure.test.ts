import AxeBuilder from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useSharedBrowser } from './sharedBrowser.ts';

/** The cnn figure: the width-convergence experience for the paper's convolutional network, in a real Chromium. */
const SHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), 'wide-enough-screenshots');
const CNN = '[data-panel="cnn"]';

interface CnnState {
  width: number;
  status: string;
  curves: number;
  step: number;
  loss0: number;
  loss: number;
}

async function cnnState(page: Page): Promise<CnnState> {
  const d = await page.locator(CNN).evaluate((f: HTMLElement) => ({ ...f.dataset }));
  const num = (s: string | undefined) => (s === undefined || s === '' ? NaN : Number(s));
  return { width: num(d.width), status: d.status ?? '', curves: num(d.curves), step: num(d.step), loss0: num(d.loss0), loss: num(d.loss) };
}

/** Opens the page (at `query`) on the cnn figure: it trains only while on screen. */
async function openCnn(page: Page, baseUrl: string, query = ''): Promise<void> {
  await page.goto(`${baseUrl}${query}`);
  await page.locator(CNN).scrollIntoViewIfNeeded();
}

/** Until the run at `channels` has ended converged: F <= eps F_0 (the page's eps, 1e-4). */
async function waitConverged(page: Page, channels: number): Promise<CnnState> {
  await page.waitForFunction(
    ({ sel, channels }) => {
      const d = (document.querySelector(sel) as HTMLElement | null)?.dataset;
      return !!d && Number(d.width) === channels && d.status === 'converged' && !!d.loss && Number(d.loss) <= 1e-4 * Number(d.loss0);
    },
    { sel: CNN, channels },
    { timeout: 120_000, polling: 200 },
  );
  return cnnState(page);
}

/** The live number labelled `label` over the chart. */
async function number(page: Page, label: string): Promise<string> {
  return page.locator(`${CNN} .live-numbers div`, { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd').innerText();
}

describe('the cnn figure', () => {
  const baseUrl = inject('baseUrl');
  const b = useSharedBrowser(baseUrl);

  it('trains the CNN at the default 128 channels to F <= 1e-4 F_0, with the instruments read out and the sweep quoted', async () => {
    const { page } = b;
    await openCnn(page, baseUrl);
    const s = await waitConverged(page, 128);
    expect(s.step).toBeGreaterThan(0);
    expect(s.curves).toBe(1);
    expect(await page.locator(`${CNN} .wc-status`).textContent()).toMatch(/^Converged: F \u2264 10\u207b\u2074 F\u2080 after \d+ steps at 128 channels\.$/);
    const caption = await page.locator(`${CNN} figcaption`).textContent();
    expect(caption).toMatch(/m = 128 channels/);
    expect(caption).toMatch(/q = 8 positions and c = 2 channels/);
    // the readouts come from the run's records: a PL ratio > 0, a small move, some flips
    expect(Number((await number(page, 'PL ratio')).replace(/×10(.*)/, ''))).toBeGreaterThan(0);
    expect(await number(page, 'moved')).toMatch(/^\d+(\.\d+)?%$/);
    expect(await number(page, 'flips')).toMatch(/^\d+(\.\d+)?%$/);
    expect(await page.locator(`${CNN} ul.curve-legend`).innerText()).toMatch(/m = 128\s*converged in \d+ steps/);
    // the essay quotes the measured sweep, recorded at build time and labelled so
    const slope = page.locator('[data-bind="cnn.distSlope"]');
    expect(await slope.textContent()).toMatch(/^\u2212?\d\.\d\d$/);
    expect(await slope.getAttribute('data-filled')).toBe('recorded');
    expect(await slope.getAttribute('title')).toMatch(/^Recorded when this page was built, by the command the paragraph quotes.*does not run it/);
    const note = await slope.evaluate((s) => getComputedStyle(s.closest('p')!, '::after').content);
    expect(note).toMatch(/by the command quoted; this page does not run it/);
  });

  it('holds no worker until it is seen: idle while the page opens at the top, training once scrolled to', async () => {
    const { page } = b;
    await page.goto(baseUrl);
    await page.locator('[data-panel="width-convergence"]').scrollIntoViewIfNeeded();
    await page.waitForTimeout(1500);
    // far down the page, its panel has not even mounted (it mounts as it nears the window), or it is idle
    expect([null, 'idle']).toContain(await page.locator(CNN).getAttribute('data-run-state'));
    await page.locator(CNN).scrollIntoViewIfNeeded();
    await waitConverged(page, 128);
  });

  it('slider and URL: a new channel count trains beside the old curve, lands in the URL, and a reload restores it', async () => {
    const { page } = b;
    await openCnn(page, baseUrl, '?cnn-channels=32');
    await waitConverged(page, 32);
    const slider = page.locator(CNN).getByRole('slider');
    expect(await slider.getAttribute('aria-valuenow')).toBe('32');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    expect(await slider.getAttribute('aria-valuenow')).toBe('48');
    await expect.poll(() => new URL(page.url()).searchParams.get('cnn-channels')).toBe('48');
    const s = await waitConverged(page, 48);
    expect(s.curves).toBe(2); // the 32-channel curve stays
    // the FC figure's width is not the CNN's: the page's width parameter did not move
    expect(new URL(page.url()).searchParams.get('width')).toBeNull();
    await page.reload();
    await page.locator(CNN).scrollIntoViewIfNeeded();
    // the panel mounts when its chunk arrives, and takes the link's choices on its first draw
    await expect.poll(() => page.locator(CNN).getByRole('slider').getAttribute('aria-valuenow'), { timeout: 20_000 }).toBe('48');
    await expect.poll(() => page.locator(`${CNN} figcaption`).textContent(), { timeout: 20_000 }).toMatch(/m = 48 channels/);
    // the residual form, from the panel's settings: in the URL, in the caption, and it converges too
    await page.locator(CNN).locator('summary', { hasText: 'Settings' }).click();
    await page.locator(CNN).getByLabel('architecture').selectOption('cnn-resnet');
    await expect.poll(() => new URL(page.url()).searchParams.get('cnn-arch')).toBe('cnn-resnet');
    expect(await page.locator(`${CNN} figcaption`).textContent()).toMatch(/h\u2097\u208b\u2081\[p\] \+ \u03c4 W\u2097/);
    await waitConverged(page, 48);
  });

  it('a channel count off the list in the URL shows a notice and falls back', async () => {
    const { page } = b;
    await openCnn(page, baseUrl, '?cnn-channels=100');
    await expect.poll(() => page.locator('[data-notices] li').allTextContents()).toEqual([expect.stringMatching(/CNN channel count m: "100" is not one of 8, 12, .* 1024; using 128/)]);
    await expect.poll(() => page.locator(CNN).getByRole('slider').getAttribute('aria-valuenow'), { timeout: 20_000 }).toBe('128');
  });

  it("embeds: embed.html takes the panel's choices as parameters (cnn-channels, cnn-arch) and trains them", async () => {
    const { page } = b;
    await page.goto(`${baseUrl}embed.html?panel=cnn&cnn-channels=24&cnn-arch=cnn-resnet`);
    // the panel lives in the element's shadow root: read it through locators, which pierce it
    await page.locator(CNN).scrollIntoViewIfNeeded();
    await expect.poll(() => cnnState(page), { timeout: 120_000, interval: 200 }).toMatchObject({ width: 24, status: 'converged', curves: 1 });
    const s = await cnnState(page);
    expect(s.loss).toBeLessThanOrEqual(1e-4 * s.loss0);
    expect(await page.locator(`${CNN} figcaption`).textContent()).toMatch(/m = 24 channels.*\u03c4 = 0\.1/);
  });

  it('fits 375 px without horizontal scrolling, and axe finds no violations in the section, light and dark', async () => {
    const { page } = b;
    await mkdir(SHOTS, { recursive: true });
    await openCnn(page, baseUrl, '?cnn-channels=64');
    await waitConverged(page, 64);
    await page.setViewportSize({ width: 375, height: 812 });
    await page.waitForFunction((sel) => (document.querySelector(`${sel} svg`)?.getBoundingClientRect().right ?? 1e9) <= 375, CNN);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    const box = await page.locator(CNN).boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    await page.locator(CNN).screenshot({ path: join(SHOTS, 'cnn-375.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator(CNN).locator('summary', { hasText: 'Settings' }).click();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const results = await new AxeBuilder({ page }).include('#cnn').analyze();
      expect(results.violations.map((v) => `${scheme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.locator('#cnn').screenshot({ path: join(SHOTS, 'cnn-section-1280.png') });
  });
});
