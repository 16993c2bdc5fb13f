/*
 * Wide Enough, host side of an iframe embed: sizes each <iframe src=".../embed.html?..."> to the
 * height its panel reports ({type: "wide-enough:height", height}). A message counts only if it
 * comes from that iframe's window and from the origin of its src. No dependencies; load it with
 * <script src=".../wide-enough-host.js" defer></script>.
 */
(function () {
  'use strict';
  if (window.wideEnoughHost) return;
  window.wideEnoughHost = true;
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.type !== 'wide-enough:height') return;
    var height = Number(data.height);
    if (!isFinite(height) || height <= 0) return;
    var frames = document.getElementsByTagName('iframe');
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      var origin;
      try {
        origin = new URL(frame.src, document.baseURI).origin;
      } catch (e) {
        return;
      }
      if (origin !== event.origin) return;
      frame.style.height = Math.min(Math.ceil(height), 10000) + 'px';
      return;
    }
  });
})();
