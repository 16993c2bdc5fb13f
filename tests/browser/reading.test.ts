/**
 * Reading the essay: contents links land their headings at the top, nothing is skipped by
 * rendering, and the sentences that quote a figure's numbers are never left unfilled: at once from
 * the run recorded at build time (labelled as recorded), and from the live runs, which go on while
 * the reader reads the section's prose below its figure, within 10 s of the figure finishing.
 *
 * A placeholder, concretely: a [data-bind] span that neither a live value nor a recorded one has
 * reached (no data-filled attribute; it still holds index.html's text), or any "(measuring)",
 * "(computing)" or "(searching)" left in a section's prose.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from './harness.ts';
import { useSharedBrowser } from './sharedBrowser.ts';

const PLACEHOLDER_TEXT = /\((measuring|computing|searching)\)/;

interface Placeholders {
  unfilled: string[]; // data-bind keys with no value yet
  texts: string[]; // placeholder texts left in the prose
}

/** The placeholders in a section's prose (its figures' own text aside). */
async function placeholders(page: Page, sectionId: string): Promise<Placeholders> {
  return page.evaluate(
    ({ id, re }) => {
      const section = document.getElementById(id)!;
      const unfilled = [...section.querySelectorAll<HTMLElement>('[data-bind]')].filter((s) => !s.closest('figure') && !s.dataset.filled).map((s) => s.dataset.bind!);
      const texts: string[] = [];
      for (const p of section.querySelectorAll(':scope > p, :scope > ul, :scope > ol')) {
        const m = (p.textContent ?? '').match(new RegExp(re));
        if (m) texts.push(m[0]);
      }
      return { unfilled, texts };
    },
    { id: sectionId, re: PLACEHOLDER_TEXT.source },
  );
}

/** Scrolls (instantly) until the top of `selector` is at the top of the viewport. */
async function jumpTo(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const e = document.querySelector(sel)!;
    window.scrollTo({ top: e.getBoundingClientRect().top + window.scrollY, behavior: 'instant' });
  }, selector);
}

/** Waits until the page has not scrolled for `quietMs`. */
async function scrollSettled(page: Page, quietMs = 600, timeout = 10_000): Promise<void> {
  await page.evaluate(
    ({ quietMs, timeout }) =>
      new Promise<void>((ok) => {
        let last = window.scrollY;
        let since = performance.now();
        const t0 = performance.now();
        const tick = (): void => {
          const now = performance.now();
          if (window.scrollY !== last) {
            last = window.scrollY;
            since = now;
          }
          if (now - since >= quietMs || now - t0 > timeout) ok();
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    { quietMs, timeout },
  );
}

/**
 * The sections of index.html whose prose quotes a figure (a data-bind outside every figure), each
 * with the panels of its figures: read from the source, so a new figure or section is tested too.
 */
function quotingSections(): [string, string[]][] {
  const html = readFileSync(join(REPO_ROOT, 'index.html'), 'utf8');
  const out: [string, string[]][] = [];
  for (const m of html.matchAll(/<section id="([^"]+)"[^>]*>([\s\S]*?)<\/section>/g)) {
    const body = m[2];
    const prose = body.replace(/<figure[\s\S]*?<\/figure>/g, '');
    if (!/data-bind=/.test(prose)) continue;
    out.push([m[1], [...body.matchAll(/data-panel="([^"]+)"/g)].map((p) => p[1])]);
  }
  return out;
}

const SECTIONS = quotingSections();

describe('reading the essay', () => {
  const baseUrl = inject('baseUrl');
  const b = useSharedBrowser(baseUrl);

  for (const width of [1280, 375]) {
    it(`at ${width} px, each contents link lands its heading within 60 px of the top`, async () => {
      const { page } = b;
      await page.setViewportSize({ width, height: width > 600 ? 900 : 740 });
      await page.goto(baseUrl);
      const hrefs = await page.locator('nav.toc a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
      expect(hrefs.length).toBeGreaterThan(10);
      const missed: string[] = [];
      for (const href of hrefs) {
        await jumpTo(page, 'nav.toc'); // from the contents, as a reader would
        await page.locator(`nav.toc a[href="${href}"]`).click();
        await scrollSettled(page);
        const top = await page.evaluate((id) => {
          const section = document.getElementById(id)!;
          return (section.querySelector('h2') ?? section).getBoundingClientRect().top;
        }, href.slice(1));
        if (!(top >= -1 && top <= 60)) missed.push(`${href}: heading at ${Math.round(top)} px`);
      }
      expect(missed).toEqual([]);
    });
  }

  it('skips no section in rendering, so print and full-page capture show every one', async () => {
    const { page } = b;
    await page.goto(baseUrl);
    const skipped = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('main *')].filter((e) => getComputedStyle(e).contentVisibility !== 'visible').map((e) => e.id || e.tagName),
    );
    expect(skipped).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    const hidden = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('main > section')].filter((s) => s.getBoundingClientRect().height < 50).map((s) => s.id));
    await page.emulateMedia({ media: 'screen' });
    expect(hidden).toEqual([]);
  });

  it('shows every recorded number at once, marked as recorded, and the hero curves before anything trains', async () => {
    const { page } = b;
    const recorded = JSON.parse(await readFile(join(REPO_ROOT, 'src/essay/recorded/results.json'), 'utf8')) as { panels: Record<string, { binds?: Record<string, string> }> };
    await page.goto(baseUrl);
    await page.locator('[data-panel="hero"] svg path.hero-curve').first().waitFor();
    const spans = await page.locator('[data-bind]').evaluateAll((ss) => ss.map((s) => ({ key: (s as HTMLElement).dataset.bind!, filled: (s as HTMLElement).dataset.filled ?? '', title: s.getAttribute('title') ?? '' })));
    const keys = Object.values(recorded.panels).flatMap((p) => Object.keys(p.binds ?? {}));
    expect(keys.length).toBeGreaterThan(10);
    const notShown = keys.filter((k) => spans.some((s) => s.key === k) && !spans.filter((s) => s.key === k).every((s) => s.filled === 'recorded' || s.filled === 'live'));
    expect(notShown).toEqual([]);
    const marked = spans.filter((s) => s.filled === 'recorded');
    expect(marked.length).toBeGreaterThan(5);
    for (const s of marked) expect(s.title).toMatch(/^Recorded when this page was built/);
    // the label is drawn: dotted, and the paragraph says what dotted means
    const span = page.locator('[data-filled="recorded"]').first();
    expect(await span.evaluate((s) => getComputedStyle(s).textDecorationStyle)).toBe('dotted');
    const note = await span.evaluate((s) => getComputedStyle(s.closest('p, li')!, '::after').content);
    expect(note).toMatch(/^"\s*\(Dotted: recorded when this page was built/);
    const hero = page.locator('[data-panel="hero"]');
    expect(await hero.locator('path.hero-curve').count()).toBe(7);
    expect(await hero.locator('.hero-status').textContent()).toMatch(/recorded when this page was built/);
  });

  it('hero: the slider answers the keyboard at once, then trains the width live and its curve replaces the recorded one', async () => {
    const { page } = b;
    await page.goto(baseUrl);
    const hero = page.locator('[data-panel="hero"]');
    const slider = hero.locator('input[type="range"]');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => hero.locator('.hero-label-text').textContent()).toBe('Width m = 128');
    expect(await slider.getAttribute('aria-valuetext')).toBe('width 128');
    expect(await hero.locator('.hero-readout').textContent()).toMatch(/^m = 128: the loss fell to 10⁻³ of where it started after \d+ steps/);
    await expect.poll(() => hero.locator('.hero-status').textContent(), { timeout: 60_000 }).toMatch(/is the live run/);
    expect(await hero.locator('path.hero-chosen.hero-live').count()).toBe(1);
    expect(await hero.locator('path.hero-underlay').count()).toBe(0);
    expect(await hero.locator('.hero-readout').textContent()).toMatch(/\(live run\)/);
  });

  it('finds every section whose prose quotes a figure in index.html as the page has it', async () => {
    const { page } = b;
    await page.goto(baseUrl);
    const withBinds = await page.evaluate(() =>
      [...document.querySelectorAll('main > section')].filter((s) => [...s.querySelectorAll('[data-bind]')].some((e) => !e.closest('figure'))).map((s) => s.id),
    );
    expect(SECTIONS.map(([id]) => id)).toEqual(withBinds);
  });

  for (const [id, panels] of SECTIONS) {
    it(
      `#${id}: jumped to and read below its figure, the prose has no placeholder: at once from the recording, else within 10 s of the figure finishing`,
      async () => {
        const { page } = b;
        await page.goto('about:blank'); // a fresh page: nothing has trained yet
        await page.goto(`${baseUrl}#${id}`);
        await scrollSettled(page);
        // the reader reads the first paragraph that quotes the figure
        const para = `#${id} > p:has([data-bind])`;
        await page.locator(para).first().waitFor();
        await jumpTo(page, para);
        await page.waitForTimeout(300); // a frame or two for the mount
        expect(await page.locator(para).first().evaluate((p) => Math.round(p.getBoundingClientRect().top))).toBeLessThan(10);
        const first = await placeholders(page, id);
        if (first.unfilled.length === 0 && first.texts.length === 0) return; // all from the recording, at once
        // else the figures' runs must go on while the prose is on screen, and fill the rest
        for (const panel of panels) {
          await expect.poll(() => page.locator(`#${id} [data-panel="${panel}"]`).getAttribute('data-run-state'), { timeout: 200_000, interval: 1000 }).toBe('done');
        }
        // a section that quotes a figure elsewhere (none has one today) gets that figure's time, 60 s
        await expect.poll(() => placeholders(page, id), { timeout: panels.length ? 10_000 : 60_000, interval: 250 }).toEqual({ unfilled: [], texts: [] });
      },
      260_000,
    );
  }

  it(
    'the live runs reproduce the recorded numbers (the same code and settings), and each replaces its recorded value',
    async () => {
      const { page } = b;
      const recorded = JSON.parse(await readFile(join(REPO_ROOT, 'src/essay/recorded/results.json'), 'utf8')) as { panels: Record<string, { binds?: Record<string, string> }> };
      const differ: string[] = [];
      for (const [id, panel] of SECTIONS.flatMap(([id, ps]) => ps.map((p) => [id, p] as const))) {
        const binds = recorded.panels[panel]?.binds;
        if (!binds) continue;
        await page.goto('about:blank');
        await page.goto(`${baseUrl}#${id}`);
        await scrollSettled(page);
        await jumpTo(page, `#${id} > p:has([data-bind])`);
        await expect.poll(() => page.locator(`[data-panel="${panel}"]`).getAttribute('data-run-state'), { timeout: 200_000, interval: 1000 }).toBe('done');
        await page.waitForTimeout(1500);
        const now = await page.evaluate((keys) => keys.map((k) => { const s = document.querySelector<HTMLElement>(`[data-bind="${k}"]`); return s ? { k, text: s.textContent ?? '', filled: s.dataset.filled ?? '' } : null; }), Object.keys(binds));
        for (const s of now) {
          if (!s) continue;
          if (s.filled !== 'live') differ.push(`${s.k}: still ${s.filled || 'unfilled'}`);
          else if (s.text !== binds[s.k]) differ.push(`${s.k}: live "${s.text}", recorded "${binds[s.k]}"`);
        }
      }
      expect(differ).toEqual([]);
    },
    600_000,
  );
});
