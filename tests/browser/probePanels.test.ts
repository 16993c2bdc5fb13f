import AxeBuilder from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useSharedBrowser } from './sharedBrowser.ts';
import { RELEASE_AFTER_MS } from '../../src/essay/figures/lifecycle.ts';

/**
 * The probe panels (landscape, ntk, separation, du-figure): each is on the page,
 * draws within 5 s of coming on screen, answers its controls, and leaves the console clean.
 * Screenshots of each at 1280 and 375 px go to $SCREENSHOT_DIR or /tmp/wide-enough-screenshots.
 */
const SHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), 'wide-enough-screenshots');
const IDS = ['landscape', 'ntk', 'separation', 'du-figure'] as const;

const sel = (id: string) => `[data-panel="${id}"]`;
const data = (page: Page, id: string, key: string) => page.locator(sel(id)).evaluate((f: HTMLElement, k) => f.dataset[k] ?? '', key);

/** Waits until the figure's dataset satisfies `test`; returns the time it took. */
async function waitData(page: Page, id: string, key: string, test: string, timeout: number): Promise<number> {
  const t0 = Date.now();
  await page.waitForFunction(
    ({ s, key, test }) => {
      const v = (document.querySelector(s) as HTMLElement | null)?.dataset[key];
      return v !== undefined && v !== '' && (new Function('v', `return ${test}`) as (v: string) => boolean)(v);
    },
    { s: sel(id), key, test },
    { timeout, polling: 50 },
  );
  return Date.now() - t0;
}

describe('probe panels: landscape, ntk, separation, du-figure', () => {
  const baseUrl = inject('baseUrl');
  const b = useSharedBrowser(baseUrl, { openEach: baseUrl });

  it('every panel ID is on the page and in the registry', async () => {
    await b.page.goto(baseUrl);
    for (const id of IDS) {
      expect(await b.page.locator(sel(id)).count()).toBe(1);
      // mounted as it nears the window (src/essay/mountPanels.ts), its code a chunk of its own
      await b.page.locator(sel(id)).scrollIntoViewIfNeeded();
      await expect.poll(() => b.page.locator(`${sel(id)}.panel`).count(), { timeout: 60_000 }).toBe(1);
    }
  });

  it('each panel draws within 5 s of coming on screen', async () => {
    const { page } = b;
    const drawn: Record<string, [string, string]> = {
      ntk: ['step', 'Number(v) >= 0'], // a kernel probe answered: heatmaps and spectrum drawn
      landscape: ['filled', 'Number(v) > 0'], // a grid installment drawn
      separation: ['points', 'Number(v) >= 1'], // lambda_min(K_0) of a first delta
      'du-figure': ['curves', 'Number(v) >= 1'], // a loss curve with points
    };
    const times: Record<string, number> = {};
    for (const id of IDS) {
      await page.locator(sel(id)).scrollIntoViewIfNeeded();
      times[id] = await waitData(page, id, drawn[id][0], drawn[id][1], 5_000);
      // and the marks are there
      const marks = await page.locator(`${sel(id)} svg path, ${sel(id)} canvas`).count();
      expect(marks).toBeGreaterThan(0);
    }
    console.log('first drawn (ms):', JSON.stringify(times));
  });

  it('landscape: off screen past the release delay and back, its run and grid are as they were, nothing computed again', async () => {
    const { page } = b;
    const f = page.locator(sel('landscape'));
    await f.scrollIntoViewIfNeeded();
    await waitData(page, 'landscape', 'filled', 'Number(v) === 625', 60_000);
    // the PCA plane's grid comes after the run ends, then the gradient-curvature one again: all settled
    await page.waitForTimeout(3000);
    await waitData(page, 'landscape', 'filled', 'Number(v) === 625', 60_000);
    expect(await data(page, 'landscape', 'runState')).toBe('done');
    // away in a short window, at prose with no figure of its own (no other figure asks for a worker)
    await page.setViewportSize({ width: 1280, height: 300 });
    await page.evaluate(() => document.querySelector('#references > ol > li:nth-of-type(3)')!.scrollIntoView({ block: 'start', behavior: 'instant' }));
    await page.waitForTimeout(RELEASE_AFTER_MS + 2500);
    // its ended probe run is lent by now (lifecycle.ts), and nobody took it
    await page.setViewportSize({ width: 1280, height: 900 });
    // back: for 3 s, every state the figure shows (a run let go would train again from its seeds and
    // its grid fill again from 0)
    const seen = await f.evaluate(
      (el: HTMLElement) =>
        new Promise<{ states: string[]; minFilled: number }>((done) => {
          const states = new Set<string>([el.dataset.runState ?? '']);
          let minFilled = Number(el.dataset.filled);
          const mo = new MutationObserver(() => {
            states.add(el.dataset.runState ?? '');
            minFilled = Math.min(minFilled, Number(el.dataset.filled));
          });
          mo.observe(el, { attributes: true });
          el.scrollIntoView({ behavior: 'instant' });
          setTimeout(() => {
            mo.disconnect();
            done({ states: [...states], minFilled });
          }, 3000);
        }),
    );
    expect(seen).toEqual({ states: ['done'], minFilled: 625 });
  });

  it('landscape: the scale toggle redraws at a unit reach; the scrubber (keyboard) moves the center', async () => {
    const { page } = b;
    const f = page.locator(sel('landscape'));
    await f.scrollIntoViewIfNeeded();
    await waitData(page, 'landscape', 'filled', 'Number(v) === 625', 30_000);
    const ball = Number(await data(page, 'landscape', 'extent'));
    expect(ball).toBeGreaterThan(0);
    expect(ball).toBeLessThan(1);
    await f.getByRole('button', { name: 'unit' }).click();
    await waitData(page, 'landscape', 'extent', 'Number(v) === 1', 15_000);
    expect(await data(page, 'landscape', 'scale')).toBe('unit');
    // keyboard: the scrubber is a native range input
    const slider = f.getByRole('slider');
    await slider.focus();
    await page.keyboard.press('End');
    await waitData(page, 'landscape', 'center', 'Number(v) > 0', 15_000);
    console.log('landscape: ball reach', ball, 'curvature', await data(page, 'landscape', 'curvature'));
    // hover readout over the surface
    const box = (await f.locator('.landscape-svg .hover-overlay').first().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6);
    await expect.poll(() => f.locator('.chart-readout:not([hidden])').first().textContent()).toMatch(/F = /);
    // and from the keyboard: each arrow moves one cell of the grid
    await page.mouse.move(0, 0);
    const surface = f.locator('.landscape-svg').first();
    await surface.focus();
    await page.keyboard.press('Home');
    const cell = async () => ((await surface.evaluate((s) => (s.parentElement as HTMLElement).dataset.hover)) ?? '').split(',').map(Number);
    const [i0, j0] = await cell();
    expect(j0).toBe(0);
    await page.keyboard.press('ArrowRight');
    expect(await cell()).toEqual([i0, 1]);
    await page.keyboard.press('ArrowUp'); // b grows upward: row index i + 1
    expect(await cell()).toEqual([i0 + 1, 1]);
    // downloads: SVG (one composite of both plots), PNG (with the canvas layers), CSV (the grids)
    for (const [name, ext] of [['SVG', 'svg'], ['PNG', 'png'], ['CSV', 'csv']] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), f.getByRole('button', { name, exact: true }).click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^landscape_m128_L2_n16_t\\d+_unit\\.${ext}$`));
    }
  });

  it('ntk: picking a width with the keyboard trains it; the kernel drifts more at 32 than at 512', async () => {
    const { page } = b;
    const f = page.locator(sel('ntk'));
    await f.scrollIntoViewIfNeeded();
    await page.waitForFunction((s) => /converged|ended/.test(document.querySelector(s)?.querySelector('[role=status]')?.textContent ?? ''), sel('ntk'), { timeout: 30_000 });
    const drift512 = Number(await data(page, 'ntk', 'drift'));
    await f.getByRole('button', { name: '512' }).focus();
    await page.keyboard.press('ArrowLeft'); // 128
    await page.keyboard.press('ArrowLeft'); // 32
    await waitData(page, 'ntk', 'width', 'v === "32"', 5_000);
    await page.waitForFunction((s) => /Width 32: (converged|ended)/.test(document.querySelector(s)?.querySelector('[role=status]')?.textContent ?? ''), sel('ntk'), { timeout: 30_000 });
    const drift32 = Number(await data(page, 'ntk', 'drift'));
    console.log('ntk drift: m=512', drift512, 'm=32', drift32);
    expect(drift32).toBeGreaterThan(drift512);
  });

  it('separation: a smaller delta adds two runs and a lower lambda_min(K_0)', async () => {
    const { page } = b;
    const f = page.locator(sel('separation'));
    await f.scrollIntoViewIfNeeded();
    await waitData(page, 'separation', 'lambdaMin', 'Number(v) > 0', 10_000);
    const before = Number(await data(page, 'separation', 'lambdaMin')); // at delta = 0.1
    await f.getByRole('button', { name: '0.01', exact: true }).click();
    await waitData(page, 'separation', 'runs', 'Number(v) === 6', 5_000);
    await waitData(page, 'separation', 'done', 'Number(v) === 6', 40_000);
    expect(Number(await data(page, 'separation', 'points'))).toBe(3);
    const after = Number(await data(page, 'separation', 'lambdaMin'));
    expect(after).toBeLessThan(before);
    console.log('separation caption:', await f.locator('figcaption').textContent());
  });

  it('du-figure: all widths finish; wider nets change fewer patterns', async () => {
    const { page } = b;
    const f = page.locator(sel('du-figure'));
    await f.scrollIntoViewIfNeeded();
    await page.waitForFunction((s) => /All widths done/.test(document.querySelector(s)?.querySelector('[role=status]')?.textContent ?? ''), sel('du-figure'), { timeout: 40_000 });
    const caption = (await f.locator('figcaption').textContent()) ?? '';
    console.log('du caption:', caption);
    const pct = [...caption.matchAll(/([\d.]+)% patterns changed/g)].map((m) => Number(m[1]));
    expect(pct.length).toBe(3);
    expect(pct[2]).toBeLessThan(pct[0]);
  });

  it('screenshots at 1280 and 375 px; the console stays clean', async () => {
    await mkdir(SHOTS, { recursive: true });
    const { page } = b;
    // the landscape is let go off screen and trains again on return: shoot it once it is done
    const settled = async (id: string) => {
      await page.locator(sel(id)).scrollIntoViewIfNeeded();
      if (id === 'landscape')
        await page.waitForFunction((s) => /^Done/.test(document.querySelector(s)?.querySelector('[role=status]')?.textContent ?? ''), sel(id), { timeout: 20_000 });
    };
    for (const id of IDS) {
      await settled(id);
      await page.locator(sel(id)).screenshot({ path: join(SHOTS, `${id}-1280.png`) });
    }
    await page.setViewportSize({ width: 375, height: 800 });
    for (const id of IDS) {
      const f = page.locator(sel(id));
      await settled(id);
      await page.waitForTimeout(400); // the charts lay out again at the new width
      await f.screenshot({ path: join(SHOTS, `${id}-375.png`) });
    }
    expect(b.problems()).toEqual([]);
    expect(b.offsite).toEqual([]);
    const axe = new AxeBuilder({ page });
    for (const id of IDS) axe.include(sel(id));
    const { violations } = await axe.analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  it("a link opens panels on the choices it names; the reader's picks go back into the link; a bad one shows a notice", async () => {
    const { page } = b;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${baseUrl}?width=64&ntk-width=128&separation-delta=0.03&landscape-scale=unit&gradient-bound-depth=9`);
    // each panel mounts as it nears the window (src/essay/mountPanels.ts): go to it first
    const pressed = async (id: string, name: string) => {
      await page.locator(sel(id)).scrollIntoViewIfNeeded();
      return page.locator(sel(id)).getByRole('button', { name, exact: true }).getAttribute('aria-pressed', { timeout: 5_000 }).catch(() => null);
    };
    await expect.poll(() => pressed('ntk', '128'), { timeout: 30_000 }).toBe('true');
    await expect.poll(() => pressed('ntk', '512')).toBe('false');
    await expect.poll(() => pressed('separation', '0.03')).toBe('true');
    await expect.poll(() => pressed('landscape', 'unit')).toBe('true');
    await expect.poll(() => page.locator('[data-notices] li').allTextContents()).toEqual([
      'gradient panel depth L: "9" is not one of 1, 2, 3; using 2',
    ]);
    expect(new URL(page.url()).search).toBe('?width=64&landscape-scale=unit&ntk-width=128&separation-delta=0.03'); // repaired at load
    // the panels train what the link names
    await page.locator(sel('ntk')).scrollIntoViewIfNeeded();
    await waitData(page, 'ntk', 'width', 'v === "128"', 5_000);
    await page.locator(sel('separation')).scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator(sel('separation')).locator('.sep-charts circle').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    // a pick goes into the link (the other choices and the run settings stay), and a reload keeps it
    await page.locator(sel('ntk')).getByRole('button', { name: '32', exact: true }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?width=64&landscape-scale=unit&ntk-width=32&separation-delta=0.03');
    await page.locator(sel('ntk')).getByRole('button', { name: '512', exact: true }).click(); // back to the default: out of the link
    await expect.poll(() => new URL(page.url()).search).toBe('?width=64&landscape-scale=unit&separation-delta=0.03');
    await page.reload();
    await expect.poll(() => pressed('ntk', '512'), { timeout: 30_000 }).toBe('true');
    await expect.poll(() => pressed('separation', '0.03'), { timeout: 30_000 }).toBe('true');
    expect(b.problems()).toEqual([]);
  });
});
