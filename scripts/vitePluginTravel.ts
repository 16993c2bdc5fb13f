import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin, ResolvedConfig } from 'vite';
import { panelList, type PanelListing } from './panelList.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where vite preview serves the build when no site address is given. */
export const PREVIEW_SITE = 'http://127.0.0.1:4173/';

/**
 * The site's public address, for the documents that must name it in full (oEmbed consumers fetch
 * them from elsewhere): $WIDE_ENOUGH_SITE, e.g. https://example.org/wide-enough/, else vite
 * preview's own address (the build warns that a deployment should set it).
 */
export function siteAddress(env: NodeJS.ProcessEnv = process.env): { site: string; given: boolean } {
  const given = env.WIDE_ENOUGH_SITE?.trim();
  if (!given) return { site: PREVIEW_SITE, given: false };
  const url = new URL(given);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`WIDE_ENOUGH_SITE must be an http(s) address, not ${given}`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return { site: url.href, given: true };
}

/**
 * Each panel's height in px in a 720 px wide frame (its page measured in Chromium, with about 5% room
 * for notices and font differences); tests/browser/travel.test.ts fails, with the measured heights, when a panel
 * outgrows its entry. A panel not listed gets 1000 (WordPress's largest).
 */
const FRAME_WIDTH = 720;
const PANEL_HEIGHTS: Record<string, number> = {
  hero: 700,
  fit: 830,
  'width-convergence': 900,
  landscape: 1650,
  ntk: 1500,
  separation: 760,
  'du-figure': 800,
  'gradient-bound': 970,
  'semi-smoothness': 1260,
  'linear-convergence': 880,
  'lazy-ball': 1120,
  'ball-vs-distance': 880,
  'bounds-vs-reality': 720,
  rnn: 1360,
  generalization: 1290,
  'lazy-rich': 1100,
  cnn: 1000,
};

/** The frame an oEmbed consumer (WordPress, Embedly/Medium, Iframely) puts in a post for a panel. */
export function oembedDocument(panel: PanelListing, site: string): Record<string, unknown> {
  const src = new URL(`embed.html?panel=${encodeURIComponent(panel.id)}`, site).href;
  const title = `Wide Enough: ${panel.title}`;
  const height = PANEL_HEIGHTS[panel.id] ?? 1000;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return {
    version: '1.0',
    type: 'rich',
    title,
    provider_name: 'Wide Enough',
    provider_url: site,
    width: FRAME_WIDTH,
    height,
    cache_age: 86400,
    html: `<iframe src="${esc(src)}" title="${esc(title)}" width="${FRAME_WIDTH}" height="${height}" loading="lazy" style="border:0;width:100%;max-width:100%"></iframe>`,
  };
}

/** panels/ID.html: embed.html opened at one panel, with the oEmbed discovery link a consumer reads without running scripts. */
export function panelPage(embedHtml: string, panel: PanelListing, site: string): string {
  const json = new URL(`oembed/${panel.id}.json`, site).href;
  const link =
    `<link rel="alternate" type="application/json+oembed" href="${json}" title="Wide Enough: ${panel.title.replace(/"/g, '&quot;')}" />\n` +
    `    <link rel="canonical" href="${new URL(`panels/${panel.id}.html`, site).href}" />\n`;
  const title = `<title>Wide Enough: ${panel.title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</title>`;
  return embedHtml.replace(/<title>[^<]*<\/title>/, title).replace('<html lang="en">', `<html lang="en" data-panel="${panel.id}">`).replace('</head>', `    ${link}  </head>`);
}

/**
 * One build for everything that travels: besides the site, `vite build` writes
 * - embed/: the <wide-enough-panel> library (vite.embed.config.ts), so the Embed button's element
 *   snippet always names a file that exists;
 * - oembed/ID.json: a static oEmbed document per panel, and panels/ID.html: embed.html at that
 *   panel with the discovery <link> (embed.html itself adds its panel's link as it starts).
 */
export function travel(): Plugin {
  let config: ResolvedConfig;
  let pages = false; // this bundle is the site's (vite also bundles workers, through these hooks)
  return {
    name: 'wide-enough:travel',
    apply: 'build',
    enforce: 'post', // after vite's HTML plugin has put embed.html in the bundle
    configResolved(c) {
      config = c;
    },
    generateBundle(_, bundle) {
      const embed = bundle['embed.html'];
      if (!embed || embed.type !== 'asset') return;
      pages = true;
      const { site, given } = siteAddress();
      if (!given) config.logger.warn(`oembed/*.json name ${site} (vite preview's address); set WIDE_ENOUGH_SITE to the deployed address`);
      const html = String(embed.source);
      for (const panel of panelList(ROOT)) {
        this.emitFile({ type: 'asset', fileName: `oembed/${panel.id}.json`, source: JSON.stringify(oembedDocument(panel, site), null, 2) + '\n' });
        this.emitFile({ type: 'asset', fileName: `panels/${panel.id}.html`, source: panelPage(html, panel, site) });
      }
    },
    async closeBundle() {
      if (!pages) return;
      pages = false;
      const { build } = await import('vite');
      await build({
        root: config.root,
        configFile: join(ROOT, 'vite.embed.config.ts'),
        mode: config.mode,
        logLevel: config.logLevel,
        build: { outDir: join(resolve(config.root, config.build.outDir), 'embed'), emptyOutDir: true },
      });
    },
  };
}
