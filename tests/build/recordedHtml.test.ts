import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEASURED_TITLE, RECORDED_TITLE } from '../../src/essay/figures/essayNumbers.ts';
import { fileURLToPath } from 'node:url';
import { fillRecorded } from '../../scripts/recordedHtml.ts';
import { recordedBinds } from '../../scripts/vitePluginRecorded.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const binds = { 'a.x': '0.25 (95% interval 0.1 to 0.4)', 'a.y': '<1 & "2"' };
const measured = { 'b.z': '18 of 18' };

describe('the recorded numbers written into index.html at build time', () => {
  it('fills each span with a recorded value, its label, and notes its paragraph as the live bind (essayNumbers.ts) reads it', () => {
    const html = [
      '<section><p class="lead">Slope <span data-bind="a.x">(measuring)</span>, live <span data-bind="c.live">(measuring)</span>.</p>',
      '<ul><li>Odd: <span data-bind="a.y">(computing)</span></li></ul>',
      '<p>Build only: <span data-bind="b.z">(measuring)</span> and <span data-bind="a.x">(measuring)</span> by <code data-bind="b.z">(measuring)</code></p>',
      '<h2>Title <span data-bind="a.x">(measuring)</span></h2></section>',
    ].join('\n');
    const out = fillRecorded(html, { binds, measured });
    expect(out).toContain(`<p class="lead" data-recorded-note="">Slope <span data-bind="a.x" data-filled="recorded" title="${RECORDED_TITLE}">0.25 (95% interval 0.1 to 0.4)</span>`);
    // a key with no recorded value keeps its placeholder (the live run fills it)
    expect(out).toContain('live <span data-bind="c.live">(measuring)</span>');
    // text and attributes escaped; a list item is a block too
    expect(out).toContain(`<li data-recorded-note="">Odd: <span data-bind="a.y" data-filled="recorded" title="${RECORDED_TITLE}">&lt;1 &amp; "2"</span></li>`);
    // a block with a build-only number says so, whatever else it holds
    expect(out).toContain(`<p data-recorded-note="build">Build only: <span data-bind="b.z" data-filled="recorded" title="${MEASURED_TITLE}">18 of 18</span>`);
    expect(out).toContain(`by <code data-bind="b.z" data-filled="recorded" title="${MEASURED_TITLE}">18 of 18</code>`);
    // a span outside any p or li is filled, and no block around it is noted
    expect(out).toContain(`<h2>Title <span data-bind="a.x" data-filled="recorded"`);
    expect(out.match(/data-recorded-note/g)).toHaveLength(3);
  });

  it('leaves the essay with no placeholder where a recorded value exists', () => {
    const results = JSON.parse(readFileSync(join(REPO_ROOT, 'src/essay/recorded/results.json'), 'utf8'));
    const recorded = recordedBinds(results);
    const out = fillRecorded(readFileSync(join(REPO_ROOT, 'index.html'), 'utf8'), recorded);
    const keys = new Set([...Object.keys(recorded.binds), ...Object.keys(recorded.measured)]);
    const left = [...out.matchAll(/<[a-z]+ data-bind="([^"]+)">/g)].map((m) => m[1]);
    expect(left.filter((k) => keys.has(k))).toEqual([]);
    expect([...out.matchAll(/data-filled="recorded"/g)].length).toBeGreaterThan(50);
  });
});
