import AxeBuilder from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, type BrowserSession } from './harness.ts';

/**
 * The theory panels (gradient-bound, semi-smoothness, lazy-ball, bounds-vs-reality, and the
 * argument's ball-vs-distance and linear-convergence): each is on
 * the page, draws within 5 s of coming on screen, answers its controls, shows a hover readout,
 * and keeps the console clean; axe finds nothing; screenshots at 1280 and 375 px.
 */
const SHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), 'wide-enough-screenshots');
const IDS = ['gradient-bound', 'semi-smoothness', 'lazy-ball', 'bounds-vs-reality'] as const;
const sel = (id: string) => `[data-panel="${id}"]`;

/** Marks that mean the panel has drawn data (not just axes). */
const MARKS: Record<(typeof IDS)[number], string> = {
  'gradient-bound': 'path.curve-line[d^="M"]',
  'semi-smoothness': 'path.curve-line[d^="M"]',
  'lazy-ball': 'path.curve-line[d^="M"]',
  'bounds-vs-reality': 'circle.bvr-tried',
};

async function showAndWaitForMarks(page: Page, id: (typeof IDS)[number]): Promise<number> {
  const fig = page.locator(sel(id));
  await fig.scrollIntoViewIfNeeded();
  const t0 = Date.now();
  await fig.locator(MARKS[id]).first().waitFor({ state: 'attached', timeout: 5000 });
  return Date.now() - t0;
}

async function data(page: Page, id: string): Promise<Record<string, string>> {
  return page.locator(sel(id)).evaluate((f: HTMLElement) => ({ ...f.dataset }) as Record<string, string>);
}

async function waitData(page: Page, id: string, test: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    ({ s, test }) => {
      const d = (document.querySelector(s) as HTMLElement | null)?.dataset;
      return d ? Boolean(new Function('d', `return ${test}`)(d)) : false;
    },
    { s: sel(id), test },
    { timeout, polling: 100 },
  );
}

async function hoverReadout(page: Page, id: string): Promise<string> {
  const fig = page.locator(sel(id));
  const target = fig.locator('.hover-overlay').first();
  // panels mount as their code arrives (src/essay/mountPanels.ts): one above may have moved the figure since it was scrolled to
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  // sweep across the chart until some point is near enough for a readout
  for (let i = 1; i < 24; i++) {
    for (const fy of [0.2, 0.5, 0.8]) {
      await page.mouse.move(box.x + (box.width * i) / 24, box.y + box.height * fy);
      const shown = await fig.locator('.chart-readout:not([hidden])').first().textContent({ timeout: 50 }).catch(() => null);
      if (shown) return shown;
    }
  }
  return '';
}

/** The readout the keyboard gives: Tab's target (the chart `svg`), then one arrow to the right. */
async function keyReadout(page: Page, id: string, svg: string): Promise<string> {
  const chart = page.locator(sel(id)).locator(svg).first();
  await page.mouse.move(0, 0);
  await chart.focus();
  await page.keyboard.press('ArrowRight');
  // the chart's own readout and live region sit beside its svg
  const { shown, spoken } = await chart.evaluate((e) => {
    const readout = e.parentElement!.querySelector<HTMLElement>(':scope > .chart-readout');
    return {
      shown: readout && !readout.hidden ? (readout.textContent ?? '') : '',
      spoken: e.parentElement!.querySelector(':scope > .visually-hidden[aria-live="polite"]')?.textContent ?? null,
    };
  });
  expect(spoken).toBe(shown);
  await page.keyboard.press('Escape');
  return shown;
}

describe('the theory panels', () => {
  const baseUrl = inject('baseUrl');
  let b: BrowserSession | undefined;
  afterAll(async () => {
    await b?.close();
  });

  it('1280 px: each panel draws within 5 s on screen, answers its controls and hover, console clean, axe clean', async () => {
    b = await launchBrowser(baseUrl, { width: 1280, height: 900 });
    const { page } = b;
    await mkdir(SHOTS, { recursive: true });
    await page.goto(baseUrl);
    for (const id of IDS) expect(await page.locator(sel(id)).count(), id).toBe(1);

    // gradient-bound
    expect(await showAndWaitForMarks(page, 'gradient-bound')).toBeLessThan(5000);
    await waitData(page, 'gradient-bound', 'Number(d.done) >= 5', 30_000);
    expect(await hoverReadout(page, 'gradient-bound')).toMatch(/F = /);
    expect(await keyReadout(page, 'gradient-bound', '.line-chart-svg')).toMatch(/^m = \d+.* · F = .* · ‖∇F‖² = /);
    await page.locator(sel('gradient-bound')).screenshot({ path: join(SHOTS, 'gradient-bound-1280.png') });
    for (const label of ['SVG', 'PNG', 'CSV']) {
      const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`${sel('gradient-bound')} .downloads button`, { hasText: label }).click()]);
      expect(file.suggestedFilename()).toBe(`gradient-bound_m32-64-128-256-512_L2_n16_d8_seed1.${label.toLowerCase()}`);
    }
    await page.locator(`${sel('gradient-bound')} [data-action="toggle"][data-value="1"]`).click();
    await waitData(page, 'gradient-bound', 'd.depth === "1" && Number(d.points) > 0');

    // semi-smoothness: a slice at step 0, then 10 steps further
    expect(await showAndWaitForMarks(page, 'semi-smoothness')).toBeLessThan(5000);
    await waitData(page, 'semi-smoothness', 'd.sliceStep === "0"');
    await page.locator(`${sel('semi-smoothness')} [data-action="advance"]`).click();
    await waitData(page, 'semi-smoothness', 'd.sliceStep === "10"');
    expect(await hoverReadout(page, 'semi-smoothness')).not.toBe('');
    await waitData(page, 'semi-smoothness', '!/waiting|setting|step \\d/.test(d.tracks)'); // the width runs finish for the screenshot's fit
    await page.locator(sel('semi-smoothness')).screenshot({ path: join(SHOTS, 'semi-smoothness-1280.png') });

    // lazy-ball: the quantity toggle relabels the charts; the raster arrives when its run ends
    expect(await showAndWaitForMarks(page, 'lazy-ball')).toBeLessThan(5000);
    await waitData(page, 'lazy-ball', 'd.raster !== ""', 30_000);
    const yBefore = await page.locator(`${sel('lazy-ball')} .line-chart-svg .axis-label[text-anchor="start"]`).first().textContent();
    await page.locator(`${sel('lazy-ball')} [data-action="toggle"][data-value="flips"]`).click();
    await waitData(page, 'lazy-ball', 'd.quantity === "flips"');
    expect(await page.locator(`${sel('lazy-ball')} .line-chart-svg .axis-label[text-anchor="start"]`).first().textContent()).not.toBe(yBefore);
    await waitData(page, 'lazy-ball', 'Number(d.finals) >= 5', 30_000);
    expect(await keyReadout(page, 'lazy-ball', '.flip-raster-svg')).not.toBe('');
    await page.setViewportSize({ width: 1280, height: 1300 }); // the whole panel on screen for its picture
    await page.locator(sel('lazy-ball')).scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.locator(sel('lazy-ball')).screenshot({ path: join(SHOTS, 'lazy-ball-1280.png') });
    await page.setViewportSize({ width: 1280, height: 900 });

    // bounds-vs-reality: n changes the theorem's width and starts a new search
    expect(await showAndWaitForMarks(page, 'bounds-vs-reality')).toBeLessThan(5000);
    await waitData(page, 'bounds-vs-reality', 'd.practical !== "" && d.theorem !== ""', 30_000);
    const before = await data(page, 'bounds-vs-reality');
    expect(await hoverReadout(page, 'bounds-vs-reality')).not.toBe('');
    expect(await keyReadout(page, 'bounds-vs-reality', '.bvr-svg')).toMatch(/m [=≥] /);
    await page.locator(sel('bounds-vs-reality')).screenshot({ path: join(SHOTS, 'bounds-vs-reality-1280.png') });
    await page.locator(`${sel('bounds-vs-reality')} [aria-label="training points n"] [data-value="8"]`).click();
    await waitData(page, 'bounds-vs-reality', `d.n === "8" && d.theorem !== "" && d.theorem !== "${before.theorem}"`);

    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(b.problems()).toEqual([]);
  });

  it('375 px: the panels lay out and draw on a phone', async () => {
    await b?.close();
    b = await launchBrowser(baseUrl, { width: 375, height: 800 });
    const { page } = b;
    await page.goto(baseUrl);
    for (const id of IDS) {
      expect(await showAndWaitForMarks(page, id)).toBeLessThan(5000);
      await page.waitForTimeout(id === 'lazy-ball' ? 4000 : 1500);
      const overflow = await page.locator(sel(id)).evaluate((f: HTMLElement) => f.scrollWidth - f.clientWidth);
      expect(overflow, `${id} overflows at 375 px`).toBeLessThanOrEqual(1);
      await page.locator(sel(id)).screenshot({ path: join(SHOTS, `${id}-375.png`) });
    }
    // dark scheme: the same panels, redrawn from the color tokens
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const id of IDS) {
      await page.locator(sel(id)).scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      await page.locator(sel(id)).screenshot({ path: join(SHOTS, `${id}-375-dark.png`) });
    }
    // my sections' math and figures at phone width (wide display math would become a scroll region)
    const sections = ['#theorem-3', '#theorem-4', '#together', '#lazy-ball', '#bounds-vs-reality'];
    let axe = new AxeBuilder({ page });
    for (const s of sections) axe = axe.include(s);
    const found = await axe.analyze();
    expect(found.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(b.problems()).toEqual([]);
  });
  it('the two figures of the argument (ball-vs-distance, linear-convergence): draw, fill their sentences, read out by pointer and keyboard, fit a phone, axe clean', async () => {
    await b?.close();
    b = await launchBrowser(baseUrl, { width: 1280, height: 900 });
    const { page } = b;
    await mkdir(SHOTS, { recursive: true });
    await page.goto(baseUrl);
    const bound = (key: string) => page.locator(`[data-bind="${key}"]`).first().textContent();

    await page.locator(sel('ball-vs-distance')).scrollIntoViewIfNeeded();
    await waitData(page, 'ball-vs-distance', 'Number(d.done) === 6', 60_000);
    expect(await page.locator(`${sel('ball-vs-distance')} circle.curve-dot`).count()).toBeGreaterThanOrEqual(6 * 4);
    expect(await bound('ball-vs-distance.trend')).toMatch(/^(shrinks as the width grows|grows with the width|shows no clear trend with the width)$/);
    expect(await bound('ball-vs-distance.scaleVerdict')).toMatch(/a fixed scale|not a fixed scale/);
    expect(await hoverReadout(page, 'ball-vs-distance')).toMatch(/m = \d+/);
    expect(await keyReadout(page, 'ball-vs-distance', '.line-chart-svg')).toMatch(/ · m = \d+ · norm = /);
    await page.locator(sel('ball-vs-distance')).screenshot({ path: join(SHOTS, 'ball-vs-distance-1280.png') });

    await page.locator(sel('linear-convergence')).scrollIntoViewIfNeeded();
    await waitData(page, 'linear-convergence', 'Number(d.done) === 3', 60_000);
    expect(await bound('linear-convergence.verdict')).toMatch(/^at m = .* (the linearized prediction holds|holds only up to a constant|fails, even up to a factor of two)/);
    expect(await hoverReadout(page, 'linear-convergence')).toMatch(/m = \d+/);
    expect(await keyReadout(page, 'linear-convergence', '.line-chart-svg')).toMatch(/m = \d+ · t = \d+ · /);
    await page.locator(sel('linear-convergence')).screenshot({ path: join(SHOTS, 'linear-convergence-1280.png') });

    const axe = await new AxeBuilder({ page }).include(sel('ball-vs-distance')).include(sel('linear-convergence')).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.setViewportSize({ width: 375, height: 800 });
    for (const id of ['ball-vs-distance', 'linear-convergence']) {
      await page.locator(sel(id)).scrollIntoViewIfNeeded();
      await page.waitForTimeout(500);
      const overflow = await page.locator(sel(id)).evaluate((f: HTMLElement) => f.scrollWidth - f.clientWidth);
      expect(overflow, `${id} overflows at 375 px`).toBeLessThanOrEqual(1);
      await page.locator(sel(id)).screenshot({ path: join(SHOTS, `${id}-375.png`) });
    }
    expect(b.problems()).toEqual([]);
  });
});
