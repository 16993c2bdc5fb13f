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

export function panelCss(css: string): string {
  const body = css
    .replace(/:root\b/g, ':host')
    // px instead of rem outside media queries (a media query's rem is the browser default anyway)
    .replace(/(\d*\.?\d+)rem\b/g, (_, n: string) => `${+(Number(n) * 16).toFixed(3)}px`);
  return `${body}\n${HOST_RESET}`;
}

const sheets = new Map<string, CSSStyleSheet>(); // one sheet per stylesheet text, shared by every panel on the page

/** Gives a shadow root the panel styles made of `css` (the page's stylesheets, joined). */
export function adoptPanelCss(root: ShadowRoot, css: string): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    let sheet = sheets.get(css);
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(panelCss(css));
      sheets.set(css, sheet);
    }
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  const style = document.createElement('style'); // old engines: needs style-src 'unsafe-inline' under a CSP
  style.textContent = panelCss(css);
  root.append(style);
}

/** The order the page's stylesheets are joined in: style.css first, then the rest by path. */
export function sheetOrder(a: string, b: string): number {
  return Number(b.endsWith('/style.css')) - Number(a.endsWith('/style.css')) || a.localeCompare(b);
}
