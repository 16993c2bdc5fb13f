import { describe, expect, it } from 'vitest';
import { classesForStyles, renderTexTags, styleClass, styleRules } from '../../scripts/vitePluginKatex.ts';

describe('KaTeX style attributes become classes at build time', () => {
  it('moves a style attribute into a class named after its content, keeping other attributes', () => {
    const classes = new Map<string, string>();
    const out = classesForStyles('<span class="strut" style="height:1em;"></span><span style="top:-2em;" aria-hidden="true"></span><mstyle displaystyle="true">', classes);
    const a = styleClass('height:1em;');
    const b = styleClass('top:-2em;');
    expect(out).toBe(`<span class="strut ${a}"></span><span aria-hidden="true" class="${b}"></span><mstyle displaystyle="true">`);
    expect([...classes]).toEqual([
      [a, 'height:1em;'],
      [b, 'top:-2em;'],
    ]);
  });

  it('gives the same content the same class, and rules as strong as the attribute', () => {
    expect(styleClass('height:1em;')).toBe(styleClass('height:1em;'));
    expect(styleClass('height:1em;')).not.toBe(styleClass('height:2em;'));
    expect(styleRules(new Map([['kx-1', 'height:1em;vertical-align:-0.25em;']]))).toBe('.kx-1{height:1em !important;vertical-align:-0.25em !important}\n');
  });

  it('leaves no style attribute in rendered math, and every class it uses has its rule', () => {
    const { html, classes } = renderTexTags('<p>Let <tex>\\sqrt{x_i^2} = \\frac{1}{2}</tex>, and <tex display>F(W) = \\sum_i \\|y_i\\|^2</tex></p>');
    expect(html).not.toMatch(/\sstyle="/);
    const used = new Set([...html.matchAll(/kx-[0-9a-f]+/g)].map((m) => m[0]));
    expect(used.size).toBeGreaterThan(3);
    for (const c of used) expect(classes.has(c)).toBe(true);
  });
});
