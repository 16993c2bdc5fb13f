import AxeBuilder from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './harness.ts';
import { useSharedBrowser } from './sharedBrowser.ts';
import { figure, figureState, openFigure, thumb, waitForFall } from './panel.ts';

/** Screenshots go to $SCREENSHOT_DIR, else a fixed temp dir (overwritten each run, never committed). */
const SHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), 'wide-enough-screenshots');

describe('the essay page and its width-convergence figure', () => {
  const baseUrl = inject('baseUrl');
  const b = useSharedBrowser(baseUrl);

  it('loads the essay: title, math rendered by KaTeX, references, the figure with its caption', async () => {
    const { page } = b;
    await openFigure(page, baseUrl);
    expect(await page.title()).toBe('Wide Enough: why SGD finds global minima of wide ReLU networks');
    expect(await page.locator('tex').count()).toBe(0); // every <tex> became KaTeX at build time
    expect(await page.locator('.katex').count()).toBeGreaterThan(20);
    expect(await page.locator('.katex-display').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#references a[href^="https://arxiv.org/abs/"]').count()).toBeGreaterThanOrEqual(5);
    await expect.poll(() => figure(page).locator('svg.loss-curves-svg').count()).toBe(1);
    const caption = await figure(page).locator('figcaption').textContent();
    expect(caption).toMatch(/m = 256/);
    expect(caption).toMatch(/n = 16 .* d = 8/);
  });

  it('trains at the default width until the loss has fallen 1000-fold', async () => {
    await openFigure(b.page, baseUrl);
    const s = await waitForFall(b.page, 256, 1e3);
    expect(s.step).toBeGreaterThan(0);
    expect(await figure(b.page).locator('g.curve[data-width-key="m256"] path.curve-line').first().getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
  });

  it('keyboard: an arrow key moves the slider one notch and starts a run whose curve falls 1000-fold', async () => {
    const { page } = b;
    await openFigure(page, baseUrl);
    await waitForFall(page, 256, 1e3);
    const slider = thumb(page);
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    expect(await slider.getAttribute('aria-valuenow')).toBe('384');
    expect(await slider.getAttribute('aria-valuetext')).toMatch(/384/);
    const s = await waitForFall(page, 384, 1e3);
    expect(s.curves).toBe(2); // the width before stays on the chart
    await expect.poll(() => figure(page).locator('g.curve.current').getAttribute('data-width-key')).toBe('m384');
    // Home and End reach the ends of the scale, Page Down moves an octave
    await page.keyboard.press('End');
    expect(await slider.getAttribute('aria-valuenow')).toBe('4096');
    await page.keyboard.press('PageDown');
    expect(await slider.getAttribute('aria-valuenow')).toBe('2048');
    await page.keyboard.press('Home');
    expect(await slider.getAttribute('aria-valuenow')).toBe('8');
    expect(await slider.getAttribute('aria-valuemin')).toBe('8');
    expect(await slider.getAttribute('aria-valuemax')).toBe('4096');
  });

  it('pointer: dragging the thumb to 64 starts a run at 64 whose curve falls 1000-fold', async () => {
    const { page } = b;
    await openFigure(page, baseUrl);
    const box = (await thumb(page).boundingBox())!;
    const tick = (await figure(page).locator('.log-slider-ticks span', { hasText: /^64$/ }).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(tick.x + tick.width / 2 + 40, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(tick.x + tick.width / 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    expect(await thumb(page).getAttribute('aria-valuenow')).toBe('64');
    const s = await waitForFall(page, 64, 1e3);
    expect(s.status).toMatch(/running|converged/);
    await expect.poll(() => figure(page).locator('g.curve[data-width-key="m64"]').count()).toBe(1);
  });

  it('hovering a curve shows its step, loss and width', async () => {
    const { page } = b;
    await openFigure(page, baseUrl, '?width=64');
    await waitForFall(page, 64, 1e3);
    const head = (await figure(page).locator('g.curve.current circle.curve-head').boundingBox())!;
    await page.mouse.move(head.x + head.width / 2, head.y + head.height / 2);
    const readout = figure(page).locator('.chart-readout');
    await expect.poll(() => readout.isVisible()).toBe(true);
    expect(await readout.textContent()).toMatch(/^m = 64 · step \d+ · F = /);
  });

  it('keyboard: Tab onto the chart, Up/Down pick a curve, Home/arrows/End walk it, its readout is read out, Escape hides it', async () => {
    const { page } = b;
    // two curves, the current one (m = 64) finished, so the last step does not move while the keys walk it
    await openFigure(page, baseUrl, '?width=96');
    await waitForFall(page, 96, 1e3);
    await thumb(page).focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => thumb(page).getAttribute('aria-valuenow')).toBe('64');
    await waitForFall(page, 64, 1e3);
    await expect.poll(async () => (await figureState(page)).status, { timeout: 20_000 }).toBe('converged');
    await page.mouse.move(0, 0);
    const chart = figure(page).locator('svg.loss-curves-svg');
    const readout = figure(page).locator('.chart-readout');
    const spoken = figure(page).locator('.visually-hidden[aria-live="polite"]');
    // Tab from the control before the chart, as a keyboard reader arrives
    await thumb(page).focus();
    await page.keyboard.press('Tab');
    expect(await chart.evaluate((e) => e === document.activeElement && e.matches(':focus-visible'))).toBe(true);
    await expect.poll(() => readout.isVisible()).toBe(true); // focus alone shows the cursor's item
    const text = async () => (await readout.textContent()) ?? '';
    const stepOf = async () => Number(/step (\d+)/.exec(await text())?.[1]);
    // Up and Down switch curves: up to the first, then down to the current run's (m = 64)
    const curves = await figure(page).locator('g.curve').count();
    for (let i = 0; i < curves; i++) await page.keyboard.press('ArrowUp');
    for (let i = 0; i < curves && !(await text()).startsWith('m = 64 ·'); i++) await page.keyboard.press('ArrowDown');
    expect(await text()).toMatch(/^m = 64 · /);
    // Home, Right, End and Shift+Left move along that curve
    await page.keyboard.press('Home');
    const first = await stepOf();
    await page.keyboard.press('ArrowRight');
    const right = await stepOf();
    expect(right).toBeGreaterThan(first);
    await page.keyboard.press('End');
    const last = (await figureState(page)).step;
    expect(await text()).toMatch(new RegExp(`^m = 64 · step ${last} · F = `));
    await page.keyboard.press('Shift+ArrowLeft');
    expect(await stepOf()).toBeLessThan(last);
    expect(await text()).toMatch(/^m = 64 · /);
    await page.keyboard.press('End');
    expect(await spoken.textContent()).toBe(await readout.textContent());
    const hoverKey = () => chart.evaluate((e) => (e.parentElement as HTMLElement).dataset.hover ?? null);
    expect(await hoverKey()).toBe(`m64:${last}`);
    await page.keyboard.press('Escape');
    expect(await readout.isVisible()).toBe(false);
    expect(await hoverKey()).toBeNull();
  });

  it('touch: a tap on the track moves the slider there and starts a run', async () => {
    const phone = await launchBrowser(baseUrl, { width: 375, height: 812 }, { hasTouch: true, isMobile: true });
    try {
      const { page } = phone;
      await openFigure(page, baseUrl);
      await waitForFall(page, 256, 1e3);
      // the figure is taller than a phone's screen: bring the slider itself into view, as a reader would
      await figure(page).locator('.log-slider-rail').scrollIntoViewIfNeeded();
      const tick = (await figure(page).locator('.log-slider-ticks span', { hasText: /^512$/ }).boundingBox())!;
      const rail = (await figure(page).locator('.log-slider-rail').boundingBox())!;
      await page.touchscreen.tap(tick.x + tick.width / 2, rail.y + rail.height / 2);
      await expect.poll(() => thumb(page).getAttribute('aria-valuenow')).toBe('512');
      await waitForFall(page, 512, 1e3);
      expect(phone.problems()).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('keeps the view in the URL: reloading restores the width and the caption', async () => {
    const { page } = b;
    await openFigure(page, baseUrl);
    await thumb(page).focus();
    await page.keyboard.press('ArrowLeft'); // 256 -> 192
    await expect.poll(() => new URL(page.url()).searchParams.get('width')).toBe('192');
    await page.reload();
    await figure(page).scrollIntoViewIfNeeded();
    // the panel mounts as it nears the window, and its slider takes the link's value on its first draw
    await expect.poll(() => thumb(page).getAttribute('aria-valuenow'), { timeout: 20_000 }).toBe('192');
    expect(await figure(page).locator('figcaption').textContent()).toMatch(/m = 192/);
    await waitForFall(page, 192, 1e3);
  });

  it('settings: a new depth restarts the run, clears the curves and lands in the URL', async () => {
    const { page } = b;
    await openFigure(page, baseUrl, '?width=64');
    await figure(page).locator('summary', { hasText: 'Settings' }).click();
    await figure(page).getByLabel('depth L').fill('3');
    await figure(page).getByLabel('depth L').press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('depth')).toBe('3');
    expect(await figure(page).locator('figcaption').textContent()).toMatch(/depth L = 3/);
    const s = await figureState(page);
    expect(s.curves).toBe(1);
    // the residual network: the same figure trains it, and it converges too (in a different number of steps)
    await expect.poll(async () => (await figureState(page)).status, { timeout: 30_000 }).toBe('converged');
    const fcSteps = (await figureState(page)).step;
    await figure(page).getByLabel('architecture').selectOption('resnet');
    await expect.poll(() => new URL(page.url()).searchParams.get('arch')).toBe('resnet');
    expect(await figure(page).locator('figcaption').textContent()).toMatch(/the residual network h.*\), τ = 0\.1, with depth L = 3/);
    await expect.poll(async () => ((st) => st.status === 'converged' && st.step !== fcSteps)(await figureState(page)), { timeout: 30_000 }).toBe(true);
    const r = await figureState(page);
    expect(r.loss).toBeLessThanOrEqual(r.loss0 * 1e-4);
    expect(r.curves).toBe(1);
  });

  it('hostile URL values show a notice, fall back or clamp, and inject nothing', async () => {
    const { page } = b;
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const hostile = '<img src=x onerror=alert(1)>';
    const query = new URLSearchParams({ width: 'NaN', depth: '-5', n: '1e9', labels: hostile, lrscale: hostile, hide: hostile });
    await openFigure(page, baseUrl, `?${query}`);
    const notices = page.locator('[data-notices] li');
    await expect.poll(() => notices.count()).toBe(6);
    const text = (await notices.allTextContents()).join('\n');
    expect(text).toMatch(/width m: "NaN" is not a number; using 256/);
    expect(text).toMatch(/depth L: -5 is below the smallest allowed, 1; using 1/);
    expect(text).toMatch(/training points n: "1e9" is above the largest allowed, 128; using 128/);
    expect(text).toMatch(/labels: "<img src=x onerror=alert\(1\)>" is not one of gaussian, sign, teacher/);
    await page.waitForTimeout(300);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('[data-notices] script, [data-notices] *[onerror]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    // the page works on the repaired values, and the repaired link replaces the hostile one
    expect(await thumb(page).getAttribute('aria-valuenow')).toBe('256');
    expect(await figure(page).locator('figcaption').textContent()).toMatch(/depth L = 1 .* n = 128/);
    const params = new URL(page.url()).searchParams;
    expect([params.get('width'), params.get('depth'), params.get('n'), params.get('labels')]).toEqual([null, '1', '128', null]);
    await page.waitForFunction((sel) => Number((document.querySelector(sel) as HTMLElement).dataset.step) > 0, '[data-panel="width-convergence"]');
  });

  it('lays out at 1280 and 375 px, light and dark, without horizontal scrolling', async () => {
    const { page } = b;
    await mkdir(SHOTS, { recursive: true });
    await openFigure(page, baseUrl);
    await waitForFall(page, 256, 1e3);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'page-1280.png'), fullPage: true });
    await figure(page).screenshot({ path: join(SHOTS, 'figure-1280.png') });

    await page.setViewportSize({ width: 375, height: 812 });
    await page.waitForFunction((sel) => (document.querySelector(`${sel} svg`)?.getBoundingClientRect().right ?? 1e9) <= 375, '[data-panel="width-convergence"]');
    expect(await overflow()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'page-375.png'), fullPage: true });
    await figure(page).screenshot({ path: join(SHOTS, 'figure-375.png') });

    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(20, 20, 22)');
    await figure(page).screenshot({ path: join(SHOTS, 'figure-375-dark.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    // the chart redraws for the new width on its resize observer; shoot once it has
    await page.waitForFunction((sel) => Number(document.querySelector(`${sel} svg`)?.getAttribute('width')) > 800, '[data-panel="width-convergence"]');
    await figure(page).scrollIntoViewIfNeeded();
    await page.waitForTimeout(100);
    await figure(page).screenshot({ path: join(SHOTS, 'figure-1280-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    console.log(`screenshots in ${SHOTS}`);
  });

  it('has no accessibility violations that axe-core can find', async () => {
    const { page } = b;
    await openFigure(page, baseUrl);
    await waitForFall(page, 256, 10);
    await figure(page).locator('summary', { hasText: 'Settings' }).click(); // check the settings too
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const results = await new AxeBuilder({ page }).analyze();
      const found = results.violations.map((v) => `${scheme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
      expect(found).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
