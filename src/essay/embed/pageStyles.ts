import { adoptPanelCss, sheetOrder } from './panelCss.ts';

// The same stylesheets as the library's (panelStyles.ts), as files beside embed.html rather than
// text in its script: fetched once, in parallel with the panel's code, by this page of the site.
const URLS = import.meta.glob<string>(['../../**/*.css', '!../../essay/panelReserve.css'], { query: '?url', import: 'default', eager: true });

let css: Promise<string> | null = null;

/** Gives a shadow root the panel styles once the stylesheets have arrived. */
export async function fetchPanelStyles(root: ShadowRoot): Promise<void> {
  css ??= Promise.all(
    Object.keys(URLS)
      .sort(sheetOrder)
      .map((k) => fetch(URLS[k]).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${URLS[k]}: ${r.status}`))))),
  ).then((texts) => texts.join('\n'));
  adoptPanelCss(root, await css);
}
