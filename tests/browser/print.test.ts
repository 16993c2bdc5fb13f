import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { useSharedBrowser } from './sharedBrowser.ts';

/**
 * The essay printed: figures as they last drew, no controls, references with their addresses, and
 * a figure that never trained saying so rather than printing empty axes. The print view's
 * screenshot and the PDF go to $SCREENSHOT_DIR (or the temp folder)/print.
 */
const SHOTS = join(process.env.SCREENSHOT_DIR || join(tmpdir(), 'wide-enough-screenshots'), 'print');

describe('print', () => {
  const baseUrl = inject('baseUrl');
  const b = useSharedBrowser(baseUrl);

  it('prints each figure as drawn without its controls, an untrained figure as a note, and the references with their addresses', async () => {
    const { page } = b;
    await page.goto(baseUrl);
    // the first figures train (they are on screen); the one at the end has never been seen
    const trained = '[data-panel="width-convergence"]';
    await page.locator(trained).scrollIntoViewIfNeeded();
    await page.waitForFunction((s) => document.querySelector(s)?.getAttribute('data-run-state') === 'done', trained, { timeout: 120_000 });
    // (a figure far down has not even mounted: its panel mounts as it nears the window)
    const UNTRAINED = 'figure[data-panel][data-run-state="idle"]:not([data-panel="hero"]), main figure[data-panel]:not(.panel)';
    const idle = await page.evaluate((q) => [...document.querySelectorAll(q)].map((f) => f.getAttribute('data-panel')), UNTRAINED);
    expect(idle.length, 'a figure that has not trained yet').toBeGreaterThan(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.emulateMedia({ media: 'print' });
    try {
      const seen = await page.evaluate(
        ({ trained, untrained }) => {
          const shown = (e: Element) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
          const controls = [...document.querySelectorAll('figure button, figure input, figure select, figure details, figure [role=slider]')].filter(shown);
          const t = document.querySelector(trained)!;
          const marks = [...t.querySelectorAll('svg path, canvas')].filter((e) => shown(e) && e.getBoundingClientRect().width > 0).length;
          const idle = document.querySelector(untrained)!;
          const hero = document.querySelector('figure[data-panel="hero"]')!;
          const heroCurves = [...hero.querySelectorAll('svg path')].filter((p) => shown(p) && (p.getAttribute('d') ?? '').length > 20).length;
          const refs = [...document.querySelectorAll('.references a[href^="http"]')].map((a) => ({ href: a.getAttribute('href'), after: getComputedStyle(a, '::after').content }));
          return {
            controls: controls.map((c) => `${c.tagName.toLowerCase()}.${c.className}`),
            marks,
            trainedShown: shown(t) && t.getBoundingClientRect().height > 200,
            idleNote: getComputedStyle(idle, '::before').content,
            idleChildrenShown: [...idle.children].filter(shown).length,
            heroState: hero.getAttribute('data-run-state'),
            heroCurves,
            refs,
          };
        },
        { trained, untrained: UNTRAINED },
      );
      expect(seen.controls).toEqual([]);
      expect(seen.trainedShown).toBe(true);
      expect(seen.marks).toBeGreaterThan(0);
      expect(seen.idleNote).toMatch(/had not run when this copy was printed/);
      expect(seen.idleChildrenShown).toBe(0);
      // the hero shows the runs recorded at build time until one trains live: printed as they are
      expect(seen.heroCurves, `hero (${seen.heroState})`).toBeGreaterThan(3);
      expect(seen.refs.length).toBeGreaterThan(5);
      for (const r of seen.refs) expect(r.after, r.href!).toContain(r.href!);
      await mkdir(SHOTS, { recursive: true });
      await page.locator(trained).screenshot({ path: join(SHOTS, 'width-convergence-print.png') });
      await page.locator('#references').screenshot({ path: join(SHOTS, 'references-print.png') });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      await writeFile(join(SHOTS, 'essay.pdf'), pdf);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });
});
