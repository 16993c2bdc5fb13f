import { adoptPanelCss, sheetOrder } from './panelCss.ts';

// Every stylesheet in src (the page's and any a panel imports), as text in the library's script
// (a host page may allow no stylesheet from the library's origin): panels' own CSS imports reach a
// document, never a shadow root, so it is gathered here too.
// (not the essay's reserved figure heights: no panel in a shadow root is an essay figure)
const SHEETS = import.meta.glob<string>(['../../**/*.css', '!../../essay/panelReserve.css'], { query: '?inline', import: 'default', eager: true });
const pageCss = Object.keys(SHEETS)
  .sort(sheetOrder)
  .map((k) => SHEETS[k])
  .join('\n');

/** Gives a shadow root the panel styles (one sheet shared by every panel on the page). */
export function adoptPanelStyles(root: ShadowRoot): void {
  adoptPanelCss(root, pageCss);
}
