import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import katex from 'katex';
import type { Plugin } from 'vite';

/**
 * Renders the essay's math at build time (and in the dev server): every <tex>...</tex> in an
 * HTML page becomes KaTeX's HTML and MathML, <tex display> a displayed equation. The page then
 * ships no TeX parser and never lays math out on the main thread; only KaTeX's CSS and fonts load,
 * bundled by vite from the katex package (nothing from a CDN). A TeX error fails the build.
 *
 * KaTeX positions glyphs with style attributes, which a Content-Security-Policy without
 * style-src 'unsafe-inline' refuses (and the math collapses). So every style attribute becomes a
 * class named after its content, and the rules go into a stylesheet the page imports as a file
 * (`import 'virtual:katex-styles.css'`), marked !important so they win as the attribute did.
 */
export const KATEX_STYLES_MODULE = 'virtual:katex-styles.css';

export function katexHtml(pages: readonly string[] = ['index.html']): Plugin {
  let root = process.cwd();
  return {
    name: 'wide-enough:katex-html',
    configResolved(config) {
      root = config.root;
    },
    resolveId: (id) => (id === KATEX_STYLES_MODULE ? KATEX_STYLES_MODULE : null),
    load(id) {
      if (id !== KATEX_STYLES_MODULE) return null;
      // from the pages' sources, so the rules never depend on which file vite transforms first
      const classes = new Map<string, string>();
      for (const page of pages) {
        const file = join(root, page);
        this.addWatchFile(file);
        for (const [k, v] of renderTexTags(readFileSync(file, 'utf8')).classes) classes.set(k, v);
      }
      return styleRules(classes);
    },
    transformIndexHtml: { order: 'pre', handler: (html) => renderTexTags(html).html },
  };
}

// inline math may be followed by punctuation, which must stay on its line
const TEX_TAG = /<tex(\s+display)?\s*>([\s\S]*?)<\/tex>([.,;:!?)\]]*)/g;

function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** The class that stands for one style attribute's content: the same content, the same class. */
export function styleClass(style: string): string {
  return `kx-${createHash('sha256').update(style).digest('hex').slice(0, 10)}`;
}

/** Moves every style="..." of the markup's opening tags into a class; `classes` collects class -> style. */
export function classesForStyles(markup: string, classes: Map<string, string>): string {
  return markup.replace(/<([a-zA-Z][\w-]*)(\s[^>]*?)?(\/?)>/g, (tag, name: string, attrs: string | undefined, selfClose: string) => {
    if (!attrs || !/\sstyle="/.test(attrs)) return tag;
    let style = '';
    let rest = attrs.replace(/\sstyle="([^"]*)"/, (_, s: string) => {
      style = s;
      return '';
    });
    if (!style.trim()) return `<${name}${rest}${selfClose}>`;
    const cls = styleClass(style);
    classes.set(cls, style);
    if (/\sclass="/.test(rest)) rest = rest.replace(/\sclass="([^"]*)"/, (_, c: string) => ` class="${c ? `${c} ` : ''}${cls}"`);
    else rest += ` class="${cls}"`;
    return `<${name}${rest}${selfClose}>`;
  });
}

/** `.kx-…{height:2.7em !important}` per class: as strong as the attribute it replaces. */
export function styleRules(classes: ReadonlyMap<string, string>): string {
  const important = (style: string) =>
    style
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => `${d} !important`)
      .join(';');
  return [...classes].map(([cls, style]) => `.${cls}{${important(style)}}`).join('\n') + '\n';
}

export function renderTexTags(html: string): { html: string; classes: Map<string, string> } {
  const classes = new Map<string, string>();
  const out = html.replace(TEX_TAG, (_, display: string | undefined, body: string, punct: string) => {
    const rendered = katex.renderToString(unescapeHtml(body.trim()), { displayMode: Boolean(display), throwOnError: true, strict: 'error' });
    const math = classesForStyles(rendered, classes);
    return punct && !display ? `<span class="tex-glue">${math}${punct}</span>` : math + punct;
  });
  return { html: out, classes };
}
