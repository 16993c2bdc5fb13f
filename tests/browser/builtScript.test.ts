import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

/**
 * What the build leaves out of every page's script. d3-scale's continuous scales default to
 * d3-interpolate's generic interpolator, which brings all of d3-color (10 KB minified, a fifth of a
 * panel's d3) for color and string ranges no scale of ours has; the build gives d3-scale a numbers-
 * only interpolator (scripts/vitePluginSlimD3.ts). d3-color's table of named colors is
 * its mark: no script of the site or of the embed library may carry it.
 */
function scripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return scripts(p);
    return /\.js$/.test(name) ? [p] : [];
  });
}

describe('the built script', () => {
  const siteDir = inject('siteDir');

  it('carries no d3-color, in the site or in the embed library', () => {
    const files = scripts(siteDir);
    expect(files.some((f) => /[\\/]embed[\\/]wide-enough-panel\.js$/.test(f)), 'the embed library was built').toBe(true);
    const withColor = files.filter((f) => /\brebeccapurple\b/.test(readFileSync(f, 'utf8'))).map((f) => relative(siteDir, f));
    expect(withColor, 'scripts holding d3-color').toEqual([]);
  });
});
