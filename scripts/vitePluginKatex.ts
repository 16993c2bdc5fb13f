import katex from 'katex';
import type { Plugin } from 'vite';

/**
 * Renders the essay's math at build time (and in the dev server): every <tex>...</tex> in an
 * HTML page becomes KaTeX's HTML and MathML, <tex display> a displayed equation. The page then
 * ships no TeX parser and never lays math out on the main thread; only KaTeX's CSS and fonts load,
 * bundled by vite from the katex package (nothing from a CDN). A TeX error fails the build.
 */
export function katexHtml(): Plugin {
  return {
    name: 'wide-enough:katex-html',
    transformIndexHtml: { order: 'pre', handler: (html) => renderTexTags(html) },
  };
}

// inline math may be followed by punctuation, which must stay on its line
const TEX_TAG = /<tex(\s+display)?\s*>([\s\S]*?)<\/tex>([.,;:!?)\]]*)/g;

function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

export function renderTexTags(html: string): string {
  return html.replace(TEX_TAG, (_, display: string | undefined, body: string, punct: string) => {
    const math = katex.renderToString(unescapeHtml(body.trim()), { displayMode: Boolean(display), throwOnError: true, strict: 'error' });
    return punct && !display ? `<span class="tex-glue">${math}${punct}</span>` : math + punct;
  });
}
