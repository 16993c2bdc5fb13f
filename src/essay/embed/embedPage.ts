import { lastValueOfEach } from '../../state/urlState.ts';
import { sharedPool } from '../../train/sharedPool.ts';
import { defineWideEnoughPanel, ELEMENT_ATTRIBUTES, ELEMENT_NAME } from './embedElement.ts';

/**
 * embed.html?panel=ID&width=...: one panel alone, for an iframe. The query's parameters become the
 * attributes of a <wide-enough-panel> (same notices, same fallbacks), and the page tells its parent
 * how tall it is, {type: "wide-enough:height", height}, whenever that changes, so a host page
 * running wide-enough-host.js can size the frame.
 */
defineWideEnoughPanel({ pool: sharedPool });

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
if (!params.has('panel')) el.setAttribute('panel', '');
document.body.append(el);

let sent = -1;
function postHeight(): void {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height === sent || window.parent === window) return;
  sent = height;
  // the height is no secret: any parent may have it
  window.parent.postMessage({ type: 'wide-enough:height', height }, '*');
}
new ResizeObserver(postHeight).observe(document.documentElement);
postHeight();
// the host's script may start after the first report (it is deferred, from another origin): it asks
window.addEventListener('message', (event) => {
  if (event.source !== window.parent || (event.data as { type?: unknown } | null)?.type !== 'wide-enough:height?') return;
  sent = -1;
  postHeight();
});
