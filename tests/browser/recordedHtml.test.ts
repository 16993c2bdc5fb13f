/**
 * The numbers the essay quotes from the recorded runs are in the built index.html (scripts/
 * recordedHtml.ts), with their labels and paragraph notes, and the page's script leaves them as
 * they are until a live run replaces one. When the script wrote them, the prose of every section
 * re-wrapped a fifth of a second into the load (213 px above #kernel), which a page opened at
 * #kernel counted as a layout shift of 0.17 when the browser's jump landed in the same frame; and
 * the essay's script carried them all before first paint.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MEASURED_TITLE, RECORDED_TITLE } from '../../src/essay/figures/essayNumbers.ts';
import { launchBrowser, type BrowserSession } from './harness.ts';

interface Quoted {
  spans: { key: string; text: string; filled: string | null; title: string | null; live: boolean }[];
  notes: [string, string | null][]; // each p and li that quotes a number (by its first key): its data-recorded-note
}

// a string, so that no helper of the test's compiler reaches the page
const READ = `(() => ({
  spans: [...document.querySelectorAll('main [data-bind]')].map((s) => ({ key: s.dataset.bind, text: s.textContent, filled: s.dataset.filled ?? null, title: s.getAttribute('title'), live: s.dataset.filled === 'live' })),
  notes: [...document.querySelectorAll('main p, main li')].filter((b) => !b.closest('figure') && b.querySelector('[data-bind]') && !b.querySelector('[data-filled="live"]')).map((b) => [b.querySelector('[data-bind]').dataset.bind, b.getAttribute('data-recorded-note')]),
}))()`;

describe('the recorded numbers in the built essay', () => {
  const baseUrl = inject('baseUrl');
  const sessions: BrowserSession[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.close();
  });

  it('are in index.html, and the running page changes none of them (its run re-wraps no prose) but for live values', async () => {
    const off = await launchBrowser(baseUrl, { width: 1280, height: 900 }, { javaScriptEnabled: false });
    sessions.push(off);
    await off.page.goto(baseUrl);
    const html = (await off.page.evaluate(READ)) as Quoted;
    const on = await launchBrowser(baseUrl, { width: 1280, height: 900 });
    sessions.push(on);
    await on.page.goto(baseUrl, { waitUntil: 'domcontentloaded' }); // the essay's module has run
    const script = (await on.page.evaluate(READ)) as Quoted;

    expect(script.spans.map((s) => s.key)).toEqual(html.spans.map((s) => s.key));
    const recorded = html.spans.filter((s) => s.filled === 'recorded');
    expect(recorded.length, 'spans the build filled').toBeGreaterThan(50);
    // every span still labelled recorded on the running page is as the build wrote it (a live value may have come already)
    let compared = 0;
    script.spans.forEach((s, i) => {
      if (s.live) return;
      expect({ key: s.key, text: s.text, filled: s.filled, title: s.title }).toEqual({ key: html.spans[i].key, text: html.spans[i].text, filled: html.spans[i].filled, title: html.spans[i].title });
      compared++;
    });
    expect(compared).toBeGreaterThan(50);
    // and each paragraph's note (but those a live value has reached)
    const built = new Map(html.notes);
    expect(script.notes.filter((n) => n[1] !== null).length, 'paragraphs noted').toBeGreaterThan(5);
    for (const [key, note] of script.notes) expect(built.get(key), `note of the paragraph quoting ${key}`).toBe(note);
  }, 180_000);

  it('a paragraph whose numbers go live keeps the note of the recorded ones left in it, "build" for one only the build measures', async () => {
    // No paragraph of the essay mixes the two kinds today, so the test writes three of its own before
    // the bounds figure mounts; each quotes n, which the figure binds as it draws, beside another number.
    const s = await launchBrowser(baseUrl, { width: 1280, height: 900 });
    sessions.push(s);
    await s.page.goto(baseUrl, { waitUntil: 'domcontentloaded' });
    await s.page.evaluate(
      ({ recorded, measured }) => {
        const span = (key: string, title: string, text: string) => `<span data-bind="${key}" data-filled="recorded" title="${title}">${text}</span>`;
        const n = span('bounds-vs-reality.n', recorded, '16');
        const blocks = {
          alone: `n = ${n}, L = ${span('bounds-vs-reality.L', recorded, '2')}`,
          besideRecorded: `n = ${n}, and a number no run of this page fills: ${span('test.recordedOnly', recorded, '0.5')}`,
          besideMeasured: `n = ${n}, and a number only the build measures: ${span('test.measuredOnly', measured, '7')}`,
        };
        const host = document.querySelector('main')!;
        for (const [id, html] of Object.entries(blocks)) {
          const p = document.createElement('p');
          p.id = `note-test-${id}`;
          p.dataset.recordedNote = id === 'besideMeasured' ? 'build' : '';
          p.innerHTML = html;
          host.prepend(p);
        }
      },
      { recorded: RECORDED_TITLE, measured: MEASURED_TITLE },
    );
    const note = (id: string) => s.page.locator(`#note-test-${id}`).getAttribute('data-recorded-note');
    expect(await note('alone')).toBe('');
    await s.page.locator('[data-panel="bounds-vs-reality"]').scrollIntoViewIfNeeded();
    // the figure has bound n, in the essay's own paragraph and in the three above
    await s.page.waitForFunction(() => document.querySelectorAll('[data-bind="bounds-vs-reality.n"][data-filled="live"]').length === 4, null, { timeout: 60_000, polling: 100 });
    await expect.poll(() => note('alone'), { timeout: 30_000 }).toBeNull(); // n and L live: nothing recorded left
    expect(await note('besideRecorded')).toBe('');
    expect(await note('besideMeasured')).toBe('build');
    expect(s.problems()).toEqual([]);
  }, 180_000);
});
