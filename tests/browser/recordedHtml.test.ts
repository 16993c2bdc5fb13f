/**
 * The numbers the essay quotes from the recorded runs are in the built index.html (scripts/
 * recordedHtml.ts), with their labels and paragraph notes, and the page's script leaves them as
 * they are until a live run replaces one. When the script wrote them, the prose of every section
 * re-wrapped a fifth of a second into the load (213 px above #kernel), which a page opened at
 * #kernel counted as a layout shift of 0.17 when the browser's jump landed in the same frame; and
 * the essay's script carried them all before first paint.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
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
});
