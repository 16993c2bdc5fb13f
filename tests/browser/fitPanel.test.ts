import AxeBuilder from '@axe-core/playwright';
import { describe, expect, inject, it } from 'vitest';
import { useSharedBrowser } from './sharedBrowser.ts';

/**
 * The "fit" figure in The setting: n targets (hollow) and n outputs (filled) drawn, the residuals
 * shrink as the default network trains, the keyboard reads a point out, and axe is clean at 1280
 * and 375 px.
 */
const SEL = '[data-panel="fit"]';

describe('fit figure', () => {
  const baseUrl = inject('baseUrl');
  const b = useSharedBrowser(baseUrl, { openEach: baseUrl });

  it('draws n targets and n outputs, whose residuals shrink as it trains; keyboard readout; axe clean at 1280 and 375 px', async () => {
    const { page } = b;
    const fig = page.locator(SEL);
    expect(await fig.count()).toBe(1);
    // every (step, residual) the figure shows, as it shows it
    await fig.evaluate((f: HTMLElement) => {
      const seen: [number, number, number][] = [];
      (window as unknown as { fitSeen: typeof seen }).fitSeen = seen;
      new MutationObserver(() => {
        const d = f.dataset;
        if (d.step && d.residual) seen.push([Number(d.step), Number(d.residual), Number(d.residual0)]);
      }).observe(f, { attributes: true, attributeFilter: ['data-step', 'data-residual'] });
    });
    await fig.scrollIntoViewIfNeeded();
    await page.waitForFunction((s) => (document.querySelector(s) as HTMLElement | null)?.dataset.runState === 'done', SEL, { timeout: 60_000 });
    await page.waitForTimeout(300);
    const end = await fig.evaluate((f: HTMLElement) => {
      // the residuals as drawn: lengths of the thin lines, at init and now
      const len = (layer: string) => [...f.querySelectorAll(`.${layer} line.fit-residual`)].reduce((s, l) => s + Math.abs(Number(l.getAttribute('y2')) - Number(l.getAttribute('y1'))), 0);
      return {
        n: Number(f.dataset.points),
        step: Number(f.dataset.step),
        residual: Number(f.dataset.residual),
        residual0: Number(f.dataset.residual0),
        targets: f.querySelectorAll('circle.fit-target').length,
        outputs: f.querySelectorAll('.fit-now circle.fit-output').length,
        outputs0: f.querySelectorAll('.fit-init circle.fit-output').length,
        drawnNow: len('fit-now'),
        drawnInit: len('fit-init'),
      };
    });
    const seen = await page.evaluate(() => (window as unknown as { fitSeen: [number, number, number][] }).fitSeen);
    const steps = [...new Set(seen.map((x) => x[0]))];
    expect(steps.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(2);
    for (const [step, r, r0] of seen) if (step === 0) expect(r).toBeCloseTo(r0, 6); // at step 0 the outputs are the initial ones
    const [firstStep, firstR] = seen[0];
    const [lastStep, lastR] = seen[seen.length - 1];
    expect(lastStep).toBeGreaterThan(firstStep);
    expect(lastR).toBeLessThan(firstR); // the residuals shrink as it trains
    expect(end.n).toBe(16);
    expect(end.targets).toBe(16);
    expect(end.outputs).toBe(16);
    expect(end.outputs0).toBe(16);
    expect(end.step).toBeGreaterThan(0);
    expect(end.residual).toBeLessThan(0.2 * end.residual0);
    expect(end.drawnNow).toBeLessThan(0.2 * end.drawnInit);
    expect(await page.locator('[data-bind="fit.now"]').textContent()).toMatch(/^[0-9.]/);
    const text = (await fig.textContent()) ?? '';
    expect(text).toContain('hollow circle');
    expect(text).toContain('filled dot');
    expect(text).toContain('131,072 weights trained');
    // the keyboard reads a point out
    await fig.locator('svg.fit-svg').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => fig.evaluate((f: HTMLElement) => f.querySelector('.chart-cell')?.getAttribute('data-hover') ?? '')).toMatch(/^point\d+$/);
    await expect.poll(() => fig.locator('[aria-live=polite]').first().textContent()).toContain('point 1 of 16');
    await page.keyboard.press('Escape'); // the readout goes
    await expect.poll(() => fig.locator('.chart-readout').isHidden()).toBe(true);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 800 });
      await page.waitForTimeout(400);
      const fits = await fig.evaluate((f: HTMLElement) => [f.scrollWidth, f.clientWidth, document.documentElement.scrollWidth, window.innerWidth]);
      expect({ width, fits: fits[0] <= fits[1] + 1 && fits[2] <= fits[3] }, JSON.stringify(fits)).toEqual({ width, fits: true });
      const { violations } = await new AxeBuilder({ page }).include(SEL).analyze();
      expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  });
});
