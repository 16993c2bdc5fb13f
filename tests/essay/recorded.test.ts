import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compactCurves, pageCopy, recorderFlags } from '../../scripts/vitePluginRecorded.ts';
import { runsState } from '../../src/essay/figures/mountFigure.ts';
import { PANELS } from '../../src/essay/panelRegistry.ts';
import { definite, RECIPES } from '../../src/essay/recorded/recipes.ts';
import { RECORDED, expandCurves, type RecordedResults } from '../../src/essay/recorded/recorded.ts';

describe('recorded results', () => {
  it('the recorder asks Node 20 (V8 11.3) for relaxed SIMD, as Chromium runs it, and a newer V8 for nothing', () => {
    expect(recorderFlags('11.3.244.8-node.33')).toEqual(['--experimental-wasm-relaxed-simd']);
    expect(recorderFlags('10.2.154')).toEqual(['--experimental-wasm-relaxed-simd']);
    expect(recorderFlags('11.8.172.17-node.20')).toEqual([]);
    expect(recorderFlags('12.4.254.21-node.33')).toEqual([]);
  });

  it('records only panels of the registry, each once, and keeps a view\'s definite binds only', () => {
    const ids = RECIPES.map((r) => r.panel);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(PANELS[id], id).toBeDefined();
    expect(definite({ a: '1', b: null, c: '' })).toEqual({ a: '1', c: '' });
  });

  it('the page\'s copy (steps 0..n-1 written as n, losses packed) reads back as the stored results, and other steps stay lists', () => {
    const stored = JSON.parse(readFileSync(new URL('../../src/essay/recorded/results.json', import.meta.url), 'utf8')) as RecordedResults;
    const page = JSON.parse(JSON.stringify(compactCurves(structuredClone(stored)))) as RecordedResults;
    expect(page.panels.hero?.curves?.every((c) => typeof (c.steps as unknown) === 'number' && typeof (c.loss as unknown) === 'string')).toBe(true);
    expect(expandCurves(page)).toEqual(stored);
    const odd = { panels: { x: { curves: [{ m: 1, steps: [0, 2, 4], loss: [1, 2, 0], end: 'e' }] } } }; // 0: no packing
    expect(compactCurves(structuredClone(odd))).toEqual(odd);
  });

  it("the page's copy keeps each panel's curves and no quoted numbers (index.html has them), and reads back as the stored curves", () => {
    const stored = JSON.parse(readFileSync(new URL('../../src/essay/recorded/results.json', import.meta.url), 'utf8')) as RecordedResults;
    const page = expandCurves(JSON.parse(JSON.stringify(pageCopy(structuredClone(stored)))) as RecordedResults);
    const withCurves = Object.keys(stored.panels).filter((id) => stored.panels[id].curves);
    expect(withCurves).toContain('hero');
    expect(Object.keys(page.panels).sort()).toEqual(withCurves.sort());
    for (const id of withCurves) expect(page.panels[id]).toEqual({ curves: stored.panels[id].curves });
    expect(Object.values(stored.panels).some((p) => p.binds)).toBe(true); // (what it leaves out was there)
    expect(JSON.stringify(pageCopy(structuredClone(stored))).length).toBeLessThan(JSON.stringify(compactCurves(structuredClone(stored))).length);
    // every curve's losses went packed, and came back exactly (toEqual above)
    const packed = pageCopy(structuredClone(stored)) as unknown as { panels: Record<string, { curves: { loss: unknown }[] }> };
    for (const id of withCurves) expect(packed.panels[id].curves.every((c) => typeof c.loss === 'string'), id).toBe(true);
    expect(page.inputs).toBe(stored.inputs);
  });

  it('the stored results hold hero curves and binds in the shape the page reads', () => {
    const hero = RECORDED.panels.hero?.curves ?? [];
    expect(hero.length).toBeGreaterThan(3);
    for (const c of hero) {
      expect(c.steps.length).toBe(c.loss.length);
      expect(c.loss.every((v) => Number.isFinite(v))).toBe(true);
    }
    for (const [id, p] of Object.entries(RECORDED.panels)) for (const k of Object.keys(p.binds ?? {})) expect(k.startsWith(`${id}.`), k).toBe(true);
  });
});

describe("a figure's run state", () => {
  const set = (started: boolean, running: number) => ({ started, running });
  it('is idle before any run started, running while any has not ended, then done', () => {
    expect(runsState([])).toBe('idle');
    expect(runsState([set(false, 0)])).toBe('idle');
    expect(runsState([set(true, 2), set(false, 0)])).toBe('running');
    expect(runsState([set(true, 0), set(true, 1)])).toBe('running');
    expect(runsState([set(true, 0), set(false, 0)])).toBe('done');
  });
});
