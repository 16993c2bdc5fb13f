/*
 * Wide Enough, host side of an iframe embed: sizes each <iframe src=".../embed.html?..."> (or
 * .../panels/ID.html) to the height its panel reports ({type: "wide-enough:height", height}). A
 * message counts only if it comes from that iframe's window, the src is an embed.html or a
 * panels/ID.html, the height is a number of pixels from 1 to 10,000, and the message's origin is
 * the origin of the src, or, for an iframe with a sandbox attribute without allow-same-origin
 * (whose document has the opaque origin "null" by the host's own choice), "null". Anything else
 * is ignored. The worst a frame can do with it is to set its own height, within those bounds.
 * No dependencies; load it with <script src=".../wide-enough-host.js" defer></script>.
 */
(function () {
  'use strict';
  var MAX_HEIGHT = 10000;
  var EMBED_PATH = /\/(embed\.html|panels\/[\w-]+\.html)$/;
  // === true: an element with id="wideEnoughHost" (window's named access) must not switch it off
  if (window.wideEnoughHost === true) return;
  window.wideEnoughHost = true;
  function embedSrc(frame) {
    // srcdoc (or no src) shows the host's own markup, not our page
    if (!frame.getAttribute('src') || frame.hasAttribute('srcdoc')) return null;
    try {
      var src = new URL(frame.src, document.baseURI);
      // an http(s) page only: a data: or blob: frame's origin is "null" whatever its path says
      return /^https?:$/.test(src.protocol) && EMBED_PATH.test(src.pathname) ? src : null;
    } catch (e) {
      return null;
    }
  }
  // sandboxed without allow-same-origin: the frame's origin is opaque, its messages say "null"
  function opaque(frame) {
    return frame.hasAttribute('sandbox') && !/(^|\s)allow-same-origin(\s|$)/i.test(frame.getAttribute('sandbox'));
  }
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object' || data.type !== 'wide-enough:height') return;
    var height = data.height;
    // a number, not a string or [500] (Number() would read both), and a sane one
    if (typeof height !== 'number' || !(height > 0) || height > MAX_HEIGHT) return;
    var frames = document.getElementsByTagName('iframe');
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      var src = embedSrc(frame);
      if (!src) return;
      var origin = opaque(frame) ? 'null' : src.origin;
      if (event.origin !== origin) return;
      frame.style.height = Math.ceil(height) + 'px';
      return;
    }
  });
  // a frame that loaded before this script ran has already said its height to no one: ask again
  var frames = document.getElementsByTagName('iframe');
  for (var i = 0; i < frames.length; i++) {
    var frame = frames[i];
    var src = embedSrc(frame);
    if (!src || !frame.contentWindow) continue;
    // to any origin: the question is no secret, a sandboxed frame's origin ("null") has no name to
    // target, and a frame still on its initial about:blank (the host's origin) would log a mismatch
    frame.contentWindow.postMessage({ type: 'wide-enough:height?' }, '*');
  }
})();
