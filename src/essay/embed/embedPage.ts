import { lastValueOfEach } from '../../state/urlState.ts';
import { framePool } from '../../train/framePool.ts';
import { defineWideEnoughPanel, ELEMENT_ATTRIBUTES, ELEMENT_NAME, RENDERED_EVENT } from './embedElement.ts';
import { asksForHeight, resizeMessages, wordpressSecret } from './resizeMessages.ts';
import { fetchPanelStyles } from './pageStyles.ts';

/**
 * embed.html?panel=ID&width=...: one panel alone, for an iframe. The query's parameters become the
 * attributes of a <wide-enough-panel> (same notices, same fallbacks), and the page tells its parent
 * how tall it is whenever that changes, in wide-enough-host.js's message and in those of the
 * hosts that do not run it (resizeMessages.ts). panels/ID.html (written by the build) is this page
 * with <html data-panel="ID">. It uses no storage and starts its workers as an iframe with
 * sandbox="allow-scripts" (an opaque origin) allows (framePool.ts).
 */
// its stylesheets are files of the site, fetched (the library carries them in its script)
defineWideEnoughPanel({ pool: framePool, styles: fetchPanelStyles });

document.documentElement.style.background = 'transparent';
document.body.style.margin = '0';
const el = document.createElement(ELEMENT_NAME);
el.style.margin = '0';
// the essay's rule for repeated and upper-case names (lastValueOfEach), so both read a link alike
const params = new Map(lastValueOfEach(new URLSearchParams(location.search)));
for (const name of ELEMENT_ATTRIBUTES) {
  const v = params.get(name);
  if (v !== undefined) el.setAttribute(name, v);
}
const panel = params.get('panel') ?? document.documentElement.dataset.panel ?? '';
if (!params.has('panel')) el.setAttribute('panel', panel);
const frame = { href: location.href, panel, childId: params.get('childid') ?? null, wpSecret: wordpressSecret(location.hash) };

let sent = -1;
// until the panel's code has arrived the page is a few pixels tall: a host would shrink the frame to that
let rendered = false;
function postHeight(): void {
  if (!rendered) return;
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height === sent || window.parent === window) return;
  sent = height;
  // the height is no secret: any parent may have it (and a sandboxed frame cannot know its parent's origin)
  for (const m of resizeMessages(height, frame)) window.parent.postMessage(m, '*');
}
// before the element is on the page: a notice in place of an unknown panel is rendered at once
el.addEventListener(RENDERED_EVENT, () => {
  rendered = true;
  postHeight();
});
document.body.append(el);
// oEmbed discovery for consumers that read the page after its scripts ran (panels/ID.html, written
// by the build, carries the link in its source for those that do not)
if (/^[\w-]+$/.test(panel) && !document.querySelector('link[type="application/json+oembed"]')) {
  const link = Object.assign(document.createElement('link'), { rel: 'alternate', type: 'application/json+oembed' });
  link.href = new URL(`oembed/${panel}.json`, location.href).href;
  document.head.append(link);
}

new ResizeObserver(postHeight).observe(document.documentElement);
// a cross-origin frame out of its parent's view gets no rendering updates, so no ResizeObserver
// callbacks, until it is scrolled to: look now and then as well
setInterval(postHeight, 1000);
// the host's script may start after the first report (it is deferred, from another origin): it asks
window.addEventListener('message', (event) => {
  if (event.source !== window.parent || !asksForHeight(event.data, frame)) return;
  sent = -1;
  postHeight();
});
