import { describe, expect, it } from 'vitest';
import { mergePanelState } from '../../src/essay/figures/choices.ts';
import { embedSnippets } from '../../src/essay/embed/embedSnippets.ts';
import { PANELS } from '../../src/essay/panelRegistry.ts';
import { chosen, PANEL_CHOICES } from '../../src/state/panelChoices.ts';
import { DEFAULT_STATE, readState, stateQuery, writeState } from '../../src/state/urlState.ts';

const read = (q: string) => readState(new URLSearchParams(q));

describe("the panels' own choices in the URL and in embed attributes", () => {
  it('names each after a registered panel, with its default on its list', () => {
    for (const c of PANEL_CHOICES) {
      expect(PANELS[c.panel], c.param).toBeDefined();
      expect(c.param.startsWith(`${c.panel}-`)).toBe(true);
      expect(c.param).toMatch(/^[a-z-]+$/); // a URL parameter and an HTML attribute
      expect(c.values).toContain(c.fallback);
    }
    expect(new Set(PANEL_CHOICES.map((c) => c.param)).size).toBe(PANEL_CHOICES.length);
  });

  it('reads listed values (any case, any spelling of the number), writes those off the default, and round-trips', () => {
    const { state, notices } = read('NTK-Width=2048&separation-delta=0.010&landscape-scale=unit&lazy-ball-layer=2&gradient-bound-depth=2');
    expect(notices).toEqual([]);
    expect(state.choices).toEqual({ 'ntk-width': '2048', 'separation-delta': '0.01', 'landscape-scale': 'unit', 'lazy-ball-layer': '2', 'gradient-bound-depth': '2' });
    expect(chosen(state.choices, 'ntk', 'width')).toBe('2048');
    expect(chosen(state.choices, 'semi-smoothness', 'width')).toBe('128'); // not chosen: the default
    // the default depth is not written; the rest in table order
    expect(writeState(state)).toEqual([['landscape-scale', 'unit'], ['ntk-width', '2048'], ['separation-delta', '0.01'], ['lazy-ball-layer', '2']]);
    const q = stateQuery(state, new URLSearchParams('utm=x&ntk-width=32'));
    expect(q).toBe('?utm=x&landscape-scale=unit&ntk-width=2048&separation-delta=0.01&lazy-ball-layer=2');
    expect(read(q.slice(1)).state.choices).toMatchObject({ 'ntk-width': '2048', 'separation-delta': '0.01' });
    expect(read('').state.choices).toEqual({});
  });

  it('refuses values off the list with a notice naming the list, and keeps the default', () => {
    const { state, notices } = read('ntk-width=100&separation-delta=NaN&landscape-scale=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&bounds-vs-reality-n=');
    expect(state.choices).toEqual({});
    expect(notices.map((n) => n.param)).toEqual(['ntk-width', 'separation-delta', 'landscape-scale', 'bounds-vs-reality-n']);
    expect(notices[0].message).toBe('kernel panel width m: "100" is not one of 32, 128, 512, 2048; using 512');
    expect(notices[2].message).toContain('"<img src=x onerror=alert(1)>" is not one of ball, unit; using ball');
  });

  it("the page's URL takes run settings from the figure that owns them and each panel's choices from that panel", () => {
    const page = read('width=512&ntk-width=2048&separation-delta=0.01').state;
    // the ntk panel reports its copy (made at load) with a new width: only its choice moves
    const fromNtk = { ...read('width=64&ntk-width=32&separation-delta=1').state };
    const afterNtk = mergePanelState(page, fromNtk, 'ntk', false);
    expect(afterNtk.config.m).toBe(512);
    expect(afterNtk.choices).toEqual({ 'ntk-width': '32', 'separation-delta': '0.01' });
    // the width-convergence figure reports a new width: the choices stay
    const fromFigure = read('width=1024').state;
    const afterFigure = mergePanelState(afterNtk, fromFigure, 'width-convergence', true);
    expect(afterFigure.config.m).toBe(1024);
    expect(afterFigure.choices).toEqual(afterNtk.choices);
  });

  it("an embed snippet carries the panel's own choices, not the other panels'", () => {
    const state = read('width=512&ntk-width=2048&separation-delta=0.01').state;
    const s = embedSnippets('ntk', 'The tangent kernel barely moves', state, 'https://example.org/we/');
    expect(s.element).toContain('<wide-enough-panel panel="ntk" width="512" ntk-width="2048"></wide-enough-panel>');
    expect(s.iframe).toContain('embed.html?panel=ntk&amp;width=512&amp;ntk-width=2048"');
    expect(s.element).not.toContain('separation');
    expect(embedSnippets('ntk', 't', DEFAULT_STATE, 'https://example.org/').element).toContain('<wide-enough-panel panel="ntk"></wide-enough-panel>');
  });
});
