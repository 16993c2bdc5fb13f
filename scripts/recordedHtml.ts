/**
 * The essay's quoted numbers written into index.html at build time, from the recorded results:
 * each `<span data-bind="KEY">(measuring)</span>` (or `<code …>`) with a recorded value gets that value, its
 * `data-filled="recorded"` and title, and the paragraph (or list item) around it its
 * `data-recorded-note` (what src/essay/figures/essayNumbers.ts reads and updates as live values
 * replace them). This is the only place they are written: written by the page's script, those texts
 * and notes re-wrapped the prose of every section a fifth of a second into the load (a page opened at
 * #id counted it as a layout shift of 0.17 whenever the browser's jump to the #id landed in the same
 * frame), and the script carried every recorded number before first paint. A reader without
 * scripts reads them too.
 */
import { MEASURED_TITLE, RECORDED_TITLE } from '../src/essay/figures/essayNumbers.ts';

export interface RecordedBinds {
  /** Values a live run replaces (RecordedPanel.binds). */
  binds: Record<string, string>;
  /** Values only the build measures (RecordedPanel.measured). */
  measured: Record<string, string>;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/** Where the `<p` or `<li` around offset `at` opens (the last one opened before it and not closed by then), or -1. */
function openBlock(html: string, at: number): number {
  const before = html.slice(0, at);
  let open = -1;
  let tag = '';
  for (const m of before.matchAll(/<(p|li)[\s>]/g)) [open, tag] = [m.index, m[1]];
  return open >= 0 && before.indexOf(`</${tag}>`, open) < 0 ? open : -1;
}

interface Edit {
  at: number; // offset in the original html
  remove: number; // characters replaced there
  insert: string;
}

export function fillRecorded(html: string, { binds, measured }: RecordedBinds): string {
  const edits: Edit[] = [];
  const notes = new Map<number, string>(); // a block's '>' -> its note ('' or 'build')
  for (const m of html.matchAll(/<([a-z]+) data-bind="([^"]+)">([^<]*)<\/\1>/g)) {
    const [, tag, key] = m;
    const isMeasured = Object.hasOwn(measured, key);
    const text = isMeasured ? measured[key] : Object.hasOwn(binds, key) ? binds[key] : null;
    if (text === null) continue;
    const title = isMeasured ? MEASURED_TITLE : RECORDED_TITLE;
    edits.push({ at: m.index, remove: m[0].length, insert: `<${tag} data-bind="${key}" data-filled="recorded" title="${escapeAttr(title)}">${escapeText(text)}</${tag}>` });
    const block = openBlock(html, m.index);
    // a block with any build-only number says so ('build'), as essayNumbers.ts keeps it when live values come
    if (block >= 0) {
      const tagEnd = html.indexOf('>', block);
      notes.set(tagEnd, isMeasured || notes.get(tagEnd) === 'build' ? 'build' : '');
    }
  }
  for (const [tagEnd, note] of notes) edits.push({ at: tagEnd, remove: 0, insert: ` data-recorded-note="${note}"` });
  // from the last edit to the first, so that each one's offset still holds (they never overlap)
  let out = html;
  for (const e of edits.sort((x, y) => y.at - x.at)) out = out.slice(0, e.at) + e.insert + out.slice(e.at + e.remove);
  return out;
}
