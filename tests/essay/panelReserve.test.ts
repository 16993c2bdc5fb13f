import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reserveCss, type HeightTable } from '../../scripts/panelReserve.ts';

const ROOT = join(import.meta.dirname, '../..');
const table = JSON.parse(readFileSync(join(ROOT, 'src/essay/panelReserve.json'), 'utf8')) as HeightTable;

/** The min-height the stylesheet gives panel `id` at window width `w` (the rule the cascade picks: the last that applies). */
function reserved(css: string, id: string, w: number): number {
  let h = NaN;
  const rule = new RegExp(`figure\\[data-panel='${id}'\\]:not\\(\\[data-drawn\\]\\) \\{ min-height: (?:calc\\(([-\\d.]+)px \\+ ([-\\d.]+)vw\\)|([\\d.]+)px); \\}`);
  let media: [number, number] | null = null;
  for (const line of css.split('\n')) {
    const m = line.match(/^@media \(min-width: ([\d.]+)px\)(?: and \(max-width: ([\d.]+)px\))? \{/);
    if (m) media = [Number(m[1]), m[2] ? Number(m[2]) : Infinity];
    else if (line === '}') media = null;
    const r = line.match(rule);
    if (r && (!media || (w >= media[0] && w <= media[1]))) h = r[3] ? Number(r[3]) : Number(r[1]) + (Number(r[2]) * w) / 100;
  }
  return h;
}

describe('the reserved figure heights (src/essay/panelReserve.css)', () => {
  it('are the stylesheet scripts/panelReserve.ts makes of the measured table (regenerate both with scripts/measurePanelHeights.ts --write)', () => {
    expect(readFileSync(join(ROOT, 'src/essay/panelReserve.css'), 'utf8')).toBe(reserveCss(table));
  });

  it('give each panel its measured height at each measured width, a line between two, the end values beyond', () => {
    const css = reserveCss(table);
    for (const [id, hs] of Object.entries(table)) {
      const ws = Object.keys(hs).map(Number).sort((a, b) => a - b);
      for (const w of ws) expect(reserved(css, id, w), `${id} at ${w}`).toBeCloseTo(hs[String(w)], 1);
      for (let i = 0; i + 1 < ws.length; i++) {
        const mid = (ws[i] + ws[i + 1]) / 2;
        expect(reserved(css, id, mid), `${id} at ${mid}`).toBeCloseTo((hs[String(ws[i])] + hs[String(ws[i + 1])]) / 2, 1);
      }
      expect(reserved(css, id, 200)).toBe(hs[String(ws[0])]);
      expect(reserved(css, id, 2560)).toBe(hs[String(ws[ws.length - 1])]);
    }
  });
});
