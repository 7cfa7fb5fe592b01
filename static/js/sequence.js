/* Exhibition sequence view (templates/exhibitions/sequence.html): arrow keys and swipes follow the
 * page's own previous / next links, so the view works the same without this file. */
(function () {
  "use strict";
  var root = document.querySelector("[data-sequence]");
  if (!root) return;
  var rtl = document.documentElement.dir === "rtl";
  function go(which) {
    var link = root.querySelector(which === "next" ? "[data-sequence-next]" : "[data-sequence-prev]");
    if (link) window.location.assign(link.href);
  }
  document.addEventListener("keydown", function (event) {
    var t = event.target;
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
    // In a right-to-left page the next memory is to the left.
    if (event.key === "ArrowRight") go(rtl ? "prev" : "next");
    if (event.key === "ArrowLeft") go(rtl ? "next" : "prev");
  });
  var startX = null, startY = null;
  root.addEventListener("touchstart", function (e) { startX = e.touches[0].clientX; startY = e.touches[0].clientY; }, { passive: true });
  root.addEventListener("touchend", function (e) {
    if (startX === null) return;
    var dx = e.changedTouches[0].clientX - startX, dy = e.changedTouches[0].clientY - startY;
    startX = null;
    if (Math.abs(dx) < 60 || Math.abs(dx) < Math.abs(dy) * 1.5) return;  // a scroll, not a swipe
    var towardsNext = rtl ? dx > 0 : dx < 0;
    go(towardsNext ? "next" : "prev");
  }, { passive: true });
})();
