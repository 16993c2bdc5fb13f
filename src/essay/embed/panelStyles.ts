// Every stylesheet in src (the page's and any a panel imports), as text: panels' own CSS imports
// reach a document, never a shadow root, so it is gathered here too.
// (not the essay's reserved figure heights: no panel in a shadow root is an essay figure)
const SHEETS = import.meta.glob<string>(['../../**/*.css', '!../../essay/panelReserve.css'], { query: '?inline', import: 'default', eager: true });
const pageCss = Object.keys(SHEETS)
  .sort((a, b) => Number(b === '../../style.css') - Number(a === '../../style.css') || a.localeCompare(b))
  .map((k) => SHEETS[k])
  .join('\n');

/**
 * The page's stylesheet, made to work inside a panel's shadow root: `:root` rules apply to the
 * host, `rem` (which follows the host page's root font size) becomes px, and the host element
 * gets defensive `!important` resets, since rules of the host page (`* { all: revert }`) reach the
 * host element itself and inheritance carries them inside. Adopted as a constructable stylesheet:
 * no <style> element, so a Content-Security-Policy without style-src 'unsafe-inline' still applies it.
 */
const HOST_RESET = `
:host {
  all: initial !important;
  display: block !important;
  box-sizing: border-box !important;
  width: auto !important;
  max-width: 100% !important;
  margin: 1.5em 0 !important;
  padding: 0 !important;
  border: 0 !important;
  background: transparent !important;
  color: var(--fg) !important;
  font-family: var(--sans) !important;
  font-size: 16px !important;
  font-weight: 400 !important;
  font-style: normal !important;
  line-height: 1.45 !important;
  letter-spacing: normal !important;
  text-align: start !important;
  text-transform: none !important;
  text-indent: 0 !important;
  white-space: normal !important;
  visibility: visible !important;
  direction: ltr !important;
  contain: layout style !important;
}
:host([hidden]) { display: none !important; }
.we-root { display: block; }
.we-root > figure { margin: 0; }
`;

export function panelCss(css: string = pageCss): string {
  const body = css
    .replace(/:root\b/g, ':host')
    // px instead of rem outside media queries (a media query's rem is the browser default anyway)
    .replace(/(\d*\.?\d+)rem\b/g, (_, n: string) => `${+(Number(n) * 16).toFixed(3)}px`);
  return `${body}\n${HOST_RESET}`;
}

let sheet: CSSStyleSheet | null = null;

/** Gives a shadow root the panel styles (one sheet shared by every panel on the page). */
export function adoptPanelStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(panelCss());
    }
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  const style = document.createElement('style'); // old engines: needs style-src 'unsafe-inline' under a CSP
  style.textContent = panelCss();
  root.append(style);
}
