import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const SHIM = fileURLToPath(new URL('../src/viz/numberInterpolate.ts', import.meta.url));

/**
 * d3-scale's `import ... from 'd3-interpolate'` resolved to src/viz/numberInterpolate.ts: the page's
 * scales interpolate numbers only, and d3-interpolate's generic interpolator pulls in d3-color
 * (10 KB of minified script in every panel). Only d3-scale's import is redirected; anything else
 * importing d3-interpolate gets the real one. tests/build/embedBytes.test.ts checks d3-color stays out.
 */
export function numberInterpolate(): Plugin {
  return {
    name: 'wide-enough-number-interpolate',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === 'd3-interpolate' && importer && /[\\/]node_modules[\\/]d3-scale[\\/]/.test(importer) ? SHIM : null;
    },
  };
}
