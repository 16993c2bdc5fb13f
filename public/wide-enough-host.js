/*
 * Wide Enough, host side of an iframe embed: sizes each <iframe src=".../embed.html?..."> to the
 * height its panel reports ({type: "wide-enough:height", height}). A message counts only if it
 * comes from that iframe's window, from the origin of its src (never the opaque "null" of a
 * data: or sandboxed frame), the src is an embed.html, and the height is a number of pixels from
 * 1 to 10,000; anything else is ignored. No dependencies; load it with
 * <script src=".../wide-enough-host.js" defer></script>.
 */
(function () {
  'use strict';
  var MAX_HEIGHT = 10000;
  // === true: an element with id="wideEnoughHost" (window's named access) must not switch it off
  if (window.wideEnoughHost === true) return;
  window.wideEnoughHost = true;
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object' || data.type !== 'wide-enough:height') return;
    var height = data.height;
    // a number, not a string or [500] (Number() would read both), and a sane one
    if (typeof height !== 'number' || !(height > 0) || height > MAX_HEIGHT) return;
    if (event.origin === 'null') return;
    var frames = document.getElementsByTagName('iframe');
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      var src;
      try {
        src = new URL(frame.src, document.baseURI);
      } catch (e) {
        return;
      }
      if (src.origin !== event.origin || !/\/embed\.html$/.test(src.pathname)) return;
      frame.style.height = Math.ceil(height) + 'px';
      return;
    }
  });
  // a frame that loaded before this script ran has already said its height to no one: ask again
  // (only frames of a real origin: a data: or sandboxed frame's "null" is no target, and is never trusted)
  var frames = document.getElementsByTagName('iframe');
  for (var i = 0; i < frames.length; i++) {
    var frame = frames[i];
    var src;
    try {
      src = new URL(frame.src, document.baseURI);
    } catch (e) {
      continue;
    }
    if (!/\/embed\.html$/.test(src.pathname) || src.origin === 'null' || !frame.contentWindow) continue;
    try {
      frame.contentWindow.postMessage({ type: 'wide-enough:height?' }, src.origin);
    } catch (e) {
      // a frame that cannot be asked keeps the height its page gave it
    }
  }
})();
