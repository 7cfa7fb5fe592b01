/* A transcript that follows playback, and lets the listener jump to a line.
 * Markup: templates/exhibitions/viewers/av.html. Each line is a <button data-start data-end>;
 * the section's data-transcript-for names the <audio>/<video>. Nothing ever starts playing by
 * itself: a line only plays when the listener chose it (a click or Enter/Space on the button). */
(function () {
  "use strict";
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function setup(section) {
    var player = document.getElementById(section.getAttribute("data-transcript-for"));
    if (!player) return;
    var lines = Array.prototype.slice.call(section.querySelectorAll("button[data-start]"));
    var cues = lines.map(function (button) {
      return { button: button, start: parseFloat(button.getAttribute("data-start")) || 0,
               end: parseFloat(button.getAttribute("data-end")) || 0 };
    });
    var current = null;

    function mark(cue) {
      if (cue === current) return;
      if (current) { current.button.removeAttribute("aria-current"); current.button.classList.remove("is-current"); }
      current = cue;
      if (!cue) return;
      cue.button.setAttribute("aria-current", "true");
      cue.button.classList.add("is-current");
      // Keep the spoken line in view, but never steal focus or scroll while the listener reads
      // elsewhere in the transcript (only when focus is not inside it).
      if (!section.contains(document.activeElement) && !player.paused) {
        var list = cue.button.closest("ol");
        if (list && list.scrollHeight > list.clientHeight) {
          var top = cue.button.offsetTop - list.offsetTop - list.clientHeight / 3;
          list.scrollTo({ top: top, behavior: reduceMotion ? "auto" : "smooth" });
        }
      }
    }

    function cueAt(t) {
      t += 0.05;  // a seek lands on the nearest audio frame, a few ms before the asked-for moment
      for (var i = cues.length - 1; i >= 0; i--) {
        if (t >= cues[i].start && (t < cues[i].end || !cues[i].end || i === cues.length - 1)) return cues[i];
      }
      return null;
    }

    player.addEventListener("timeupdate", function () { mark(cueAt(player.currentTime)); });
    player.addEventListener("seeked", function () { mark(cueAt(player.currentTime)); });

    section.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-start]");
      if (!button) return;
      var start = parseFloat(button.getAttribute("data-start")) || 0;
      player.currentTime = start;
      mark(cueAt(start));
      var played = player.play();  // the listener asked for this line: a user gesture, not autoplay
      if (played && played.catch) played.catch(function () { /* blocked or not loaded: stay paused */ });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-transcript-for]"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
