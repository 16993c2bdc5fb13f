import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const src = (name: string) => fileURLToPath(new URL(`../src/viz/${name}`, import.meta.url));

/** d3-scale's imports, as the page's builds resolve them. */
const FOR_D3_SCALE: Record<string, string> = {
  // numbers only: the generic interpolator pulls in d3-color (10 KB minified) for color and string
  // ranges no scale of ours has
  'd3-interpolate': src('numberInterpolate.ts'),
  // fixed-point tick labels only, the one format our axes leave to d3-scale (5 KB minified)
  'd3-format': src('fixedFormat.ts'),
};

/**
 * d3-scale with only the parts of its dependencies our scales use: its imports of d3-interpolate and
 * d3-format resolve to src/viz/numberInterpolate.ts and src/viz/fixedFormat.ts, which do exactly what
 * those do for numbers and fixed-point ticks (tests/viz compare them) and refuse anything else.
 * Only d3-scale's imports are redirected; anything else importing those packages gets the real
 * ones. tests/browser/builtScript.test.ts checks that d3-color stays out.
 */
export function slimD3(): Plugin {
  return {
    name: 'wide-enough-slim-d3',
    enforce: 'pre',
    resolveId(source, importer) {
      return importer && /[\\/]node_modules[\\/]d3-scale[\\/]/.test(importer) ? (FOR_D3_SCALE[source] ?? null) : null;
    },
  };
}
