/**
 * Panels load as they near the window (src/essay/mountPanels.ts), and nothing moves when they do:
 * until a panel mounts, its figure holds the height the panel will have (src/essay/panelReserve.css).
 *
 * A reader who arrives by a link to a deep section, or follows a contents link, sees the heading
 * stay where it landed while the panels around it arrive, and the text below it does not jump:
 * every frame after landing (sampled after paint), the heading's top is within 2 px of where it
 * landed, and the layout shifts the browser reports from then on (the Layout Instability API,
 * what CLS sums) add up to less than 0.02 for a link from elsewhere (a contents link's scroll passes
 * panels on screen, which start their runs and grow: there the heading's place is what is checked). Without the reserved heights a figure grows from
 * nothing when its panel mounts, which pushes the section's text down by hundreds of pixels.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import type { BrowserSession } from './harness.ts';
import { useSharedBrowser } from './sharedBrowser.ts';

interface Shift {
  t: number;
  value: number;
}

interface Sample {
  t: number;
  top: number; // the watched heading's top in the window
  mounted: number; // figures whose panel has mounted
}

/** Records, from the document's start: layout shifts, and after every paint the heading's top. */
function recorder(): void {
  const w = window as unknown as { shifts: Shift[]; samples: Sample[]; watch: string | null; scrollEnds: number[] };
  w.shifts = [];
  w.samples = [];
  w.watch = null;
  w.scrollEnds = [];
  addEventListener('scrollend', () => w.scrollEnds.push(performance.now()));
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.shifts.push({ t: e.startTime, value: (e as unknown as { value: number }).value });
  }).observe({ type: 'layout-shift', buffered: true });
  const frame = (): void => {
    // after this frame's paint: what the reader saw
    setTimeout(() => {
      const h = w.watch ? document.querySelector(w.watch) : null;
      if (h) w.samples.push({ t: performance.now(), top: h.getBoundingClientRect().top, mounted: document.querySelectorAll('main figure.panel').length });
    }, 0);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/** Waits until the figures in `sections` have mounted, then 1.5 s more, and returns what was recorded. */
async function settle(page: Page, sections: string[]): Promise<{ samples: Sample[]; shifts: Shift[]; scrollEnds: number[] }> {
  await page.waitForFunction(
    (ids) => ids.every((id) => [...document.querySelectorAll(`#${id} figure[data-panel]`)].every((f) => f.classList.contains('panel'))),
    sections,
    { timeout: 60_000 },
  );
  await page.waitForTimeout(1500);
  return page.evaluate(() => {
    const w = window as unknown as { shifts: Shift[]; samples: Sample[]; scrollEnds: number[] };
    return { samples: w.samples, shifts: w.shifts, scrollEnds: w.scrollEnds };
  });
}

/** From the first sample where the heading has landed (within [-1, 60] px of the top): how far it strays, and how many panels mounted meanwhile. */
function afterLanding(samples: Sample[]): { landedAt: number; t: number; stray: number; mountedDuring: number } {
  const i = samples.findIndex((s) => s.top >= -1 && s.top <= 60);
  if (i < 0) return { landedAt: NaN, t: Infinity, stray: Infinity, mountedDuring: 0 };
  const rest = samples.slice(i);
  return {
    landedAt: samples[i].top,
    t: samples[i].t,
    stray: Math.max(...rest.map((s) => Math.abs(s.top - samples[i].top))),
    mountedDuring: rest[rest.length - 1].mounted - samples[i].mounted,
  };
}

/** The layout shifts from `t` on (a font that arrives late may shift the page's text before). */
const shiftsSince = (shifts: Shift[], t: number) => shifts.filter((s) => s.t >= t).map((s) => s.value);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** A page of its own (its recorder starts with the document), watching `heading`; closed after `f`. */
async function withRecorder(b: BrowserSession, width: number, heading: string, f: (page: Page) => Promise<void>): Promise<void> {
  const page = await b.context.newPage();
  try {
    await page.setViewportSize({ width, height: width > 600 ? 900 : 740 });
    await page.addInitScript(recorder);
    await page.addInitScript((h) => ((window as unknown as { watch: string }).watch = h), heading);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await f(page);
    expect(errors).toEqual([]);
  } finally {
    await page.close();
  }
}

describe('panels mount as they near the window, and nothing moves', () => {
  const baseUrl = inject('baseUrl');
  const b = useSharedBrowser(baseUrl);

  for (const width of [1280, 375]) {
    it(`at ${width} px, a link to a deep section keeps its heading in place while the panels around it mount`, async () => {
      await withRecorder(b, width, '#kernel > h2', async (page) => {
        await page.goto(`${baseUrl}#kernel`);
        const { samples, shifts } = await settle(page, ['kernel', 'landscape']);
        // only the panels near the window have mounted: the essay's last ones have not
        expect(await page.locator('figure[data-panel="lazy-rich"].panel').count()).toBe(0);
        const seen = afterLanding(samples);
        expect(seen.landedAt, JSON.stringify(samples.slice(0, 5))).toBeGreaterThanOrEqual(-1);
        expect(seen.mountedDuring, 'panels that mounted after the heading landed').toBeGreaterThan(0);
        expect(seen.stray).toBeLessThanOrEqual(2);
        const after = shiftsSince(shifts, seen.t);
        expect(sum(after), `layout shifts ${after.map((s) => s.toFixed(4)).join(', ')}`).toBeLessThan(0.02);
      });
    });

    it(`at ${width} px, a contents link to a deep section lands its heading and keeps it there while the panels it passed mount`, async () => {
      await withRecorder(b, width, '#generalization > h2', async (page) => {
        await page.goto(baseUrl);
        await page.locator('figure[data-panel="hero"].panel').waitFor({ timeout: 60_000 });
        const before = await page.locator('main figure.panel').count();
        const clicked = await page.evaluate(() => performance.now());
        await page.locator('nav.toc a[href="#generalization"]').click();
        const { samples } = await settle(page, ['generalization', 'recurrent']);
        // landed: the first frame after the click from which the heading held still for 300 ms (the
        // scroll, smooth or cut short and put right, is over); from then on it stays within 2 px
        const after = samples.filter((s) => s.t > clicked);
        const i = after.findIndex((s, k) => s.top >= -1 && s.top <= 60 && after.slice(k).filter((x) => x.t <= s.t + 300).every((x) => Math.abs(x.top - s.top) < 0.5));
        const seen = afterLanding(i < 0 ? [] : after.slice(i));
        const last = samples.slice(-3).map((s) => Math.round(s.top));
        expect(seen.landedAt, `last tops ${last}`).toBeGreaterThanOrEqual(-1);
        expect(seen.stray).toBeLessThanOrEqual(2);
        expect(await page.locator('main figure.panel').count()).toBeGreaterThan(before);
        // (no bound on layout shift here: a panel the scroll passed on screen has started its runs,
        // and grows a line or two above the heading as they go; the link test above bounds it)
      });
    });
  }

  it('a jump to another #id that is no click (a typed address, a script, Back) lands its target, and its figure trains', async () => {
    await withRecorder(b, 1280, '#figure-width', async (page) => {
      await page.goto(`${baseUrl}#kernel`);
      await settle(page, ['kernel']);
      const jumped = await page.evaluate(() => {
        location.hash = 'figure-width'; // the page's smooth scroll, far up past panels that mount
        return performance.now();
      });
      // landed: within the heading band at the top, and held there for 300 ms
      await expect
        .poll(
          () =>
            page.evaluate((t) => {
              const s = (window as unknown as { samples: Sample[] }).samples.filter((x) => x.t > t);
              const last = s[s.length - 1];
              return !!last && last.top >= -1 && last.top <= 60 && s.filter((x) => x.t >= last.t - 300).every((x) => Math.abs(x.top - last.top) < 0.5);
            }, jumped),
          { timeout: 30_000, interval: 250 },
        )
        .toBe(true);
      const fig = page.locator('#figure-width');
      await expect.poll(() => fig.locator('g.curve path.curve-line').first().getAttribute('d'), { timeout: 60_000, interval: 250 }).toMatch(/^M/);
    });
  });

  it('a figure above the window that grows leaves the text in place, and cuts no smooth scroll short (to the top, a page down)', async () => {
    await withRecorder(b, 1280, '#kernel > h2', async (page) => {
      await page.goto(`${baseUrl}#kernel`);
      await settle(page, ['kernel']);
      // the last figure wholly above the window grows by 40 px, as a panel that mounts or a legend that
      // gains a line (in the page: the smooth scroll below calls it from its first frame)
      await page.evaluate(() => {
        (window as unknown as { growAbove(): string }).growAbove = () => {
          const above = [...document.querySelectorAll<HTMLElement>('main figure')].filter((f) => f.getBoundingClientRect().bottom < 0);
          const f = above[above.length - 1];
          f.style.minHeight = `${f.getBoundingClientRect().height + 40}px`;
          return f.id || f.dataset.panel || '?';
        };
      });
      const headingTop = () => page.locator('#kernel > h2').evaluate((h) => h.getBoundingClientRect().top);

      // still: the text stays where it was (three frames on)
      const before = await headingTop();
      const grown = await page.evaluate(async () => {
        const grew = (window as unknown as { growAbove(): string }).growAbove();
        for (let k = 0; k < 3; k++) await new Promise(requestAnimationFrame);
        return grew;
      });
      expect(await headingTop(), `after ${grown} grew`).toBeCloseTo(before, 0);

      // in motion: a smooth scroll lands where it was aimed; a figure that grows above on its first frame does not stop it
      const smooth = (how: 'to the top' | 'a page down') =>
        page.evaluate(async (how) => {
          const aim = how === 'to the top' ? 0 : scrollY + innerHeight;
          const ended = new Promise((done) => addEventListener('scrollend', done, { once: true }));
          const moved = new Promise((done) => addEventListener('scroll', done, { once: true }));
          if (how === 'to the top') scrollTo({ top: 0, behavior: 'smooth' });
          else scrollBy({ top: innerHeight, behavior: 'smooth' });
          await moved;
          const grew = (window as unknown as { growAbove(): string }).growAbove();
          await Promise.race([ended, new Promise((done) => setTimeout(done, 20_000))]);
          return { aim, landed: scrollY, grew };
        }, how);
      const down = await smooth('a page down');
      expect(down.landed, `a page down while ${down.grew} grew`).toBeCloseTo(down.aim, 0);
      const top = await smooth('to the top');
      expect(top.landed, `to the top while ${top.grew} grew`).toBe(0);
    });
  });

  it("before its panel mounts, a figure holds the height the panel then has (within 6%: a first draw varies with the panel's state), and far figures do not mount at load", async () => {
    const { page } = b;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('about:blank');
    await page.goto(baseUrl);
    await page.locator('figure[data-panel="hero"].panel').waitFor({ timeout: 60_000 });
    expect(await page.locator('figure[data-panel="lazy-rich"].panel').count()).toBe(0);
    const ids = await page.locator('main figure[data-panel]').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-panel')!));
    const off: string[] = [];
    for (const id of ids) {
      const fig = page.locator(`figure[data-panel="${id}"]`);
      if (await fig.evaluate((f) => f.classList.contains('panel'))) continue; // mounted with the page
      const reserved = await fig.evaluate((f) => f.getBoundingClientRect().height);
      // a window and a half above it: it mounts ahead of the reader, as it usually does
      await page.evaluate((id) => {
        const top = document.querySelector(`figure[data-panel="${id}"]`)!.getBoundingClientRect().top + scrollY;
        scrollTo({ top: Math.max(0, top - 1.5 * innerHeight), behavior: 'instant' });
      }, id);
      await page.waitForFunction((id) => (document.querySelector(`figure[data-panel="${id}"]`) as HTMLElement | null)?.dataset.drawn !== undefined, id, { timeout: 60_000 });
      const drawn = await fig.evaluate((f) => f.getBoundingClientRect().height);
      if (Math.abs(drawn - reserved) > 0.06 * drawn) off.push(`${id}: reserved ${Math.round(reserved)} px, drawn ${Math.round(drawn)} px`);
    }
    expect(off).toEqual([]);
  });
});
