import { panelChoice } from '../../state/panelChoices.ts';
import { writeState, type PageState } from '../../state/urlState.ts';

/**
 * The two ways to put a panel on another page, for a given state: an iframe of embed.html (sized by
 * wide-enough-host.js), and the <wide-enough-panel> element of the library build (dist/embed/,
 * deployed at embed/ beside the site). Only values that differ from the defaults are written, and
 * of the panels' own choices only this panel's.
 */
/** The custom element's tag (defined in embedElement.ts; kept here so the essay's bundle need not load it). */
export const ELEMENT_NAME = 'wide-enough-panel';

export interface EmbedSnippets {
  iframe: string;
  element: string;
}

function attr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `site` is the directory the essay is served from, e.g. https://example.org/wide-enough/ */
export function embedSnippets(panel: string, title: string, state: PageState, site: string): EmbedSnippets {
  const params = writeState(state).filter(([k]) => (panelChoice(k)?.panel ?? panel) === panel);
  const query = new URLSearchParams([['panel', panel], ...params]).toString();
  const src = new URL(`embed.html?${query}`, site).href;
  const host = new URL('wide-enough-host.js', site).href;
  const lib = new URL('embed/wide-enough-panel.js', site).href;
  const iframe =
    `<iframe src="${attr(src)}" title="${attr(`Wide Enough: ${title}`)}" width="100%" height="620" loading="lazy" style="border:0;width:100%"></iframe>\n` +
    `<script src="${attr(host)}" defer></script>`;
  const attrs = [['panel', panel], ...params].map(([k, v]) => ` ${k}="${attr(v)}"`).join('');
  const element = `<script type="module" src="${attr(lib)}"></script>\n<${ELEMENT_NAME}${attrs}></${ELEMENT_NAME}>`;
  return { iframe, element };
}

/** Both, with a line saying which is which. */
export function snippetsText(s: EmbedSnippets): string {
  return `<!-- Wide Enough panel, as an iframe: -->\n${s.iframe}\n\n<!-- or as an element (shadow DOM, no iframe): -->\n${s.element}\n`;
}
