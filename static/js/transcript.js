/* A transcript that follows playback, and lets the listener jump to a line.
 * Markup: templates/exhibitions/viewers/av.html. Each line is a <button data-start data-end>;
 * the section's data-transcript-for names the <audio>/<video>. Nothing ever starts playing by
 * itself: a line only plays when the listener chose it (a click or Enter/Space on the button).
 * A link to "#t=SECONDS" (a search hit "at 3 s") seeks the first recording there, highlights that
 * line and shows a "play from here" button: the page still never plays by itself. */
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

    function mark(cue, reveal) {
      if (cue === current && !reveal) return;
      if (current) { current.button.removeAttribute("aria-current"); current.button.classList.remove("is-current"); }
      current = cue;
      if (!cue) return;
      cue.button.setAttribute("aria-current", "true");
      cue.button.classList.add("is-current");
      // Keep the spoken line in view, but never steal focus or scroll while the listener reads
      // elsewhere in the transcript (only when focus is not inside it).
      if (reveal || (!section.contains(document.activeElement) && !player.paused)) {
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

    function play() {
      var played = player.play();  // the listener asked for this: a user gesture, not autoplay
      if (played && played.catch) played.catch(function () { /* blocked or not loaded: stay paused */ });
    }

    // Seek to `t` without playing: the line is highlighted and scrolled into view, and the
    // "play from here" button (templates/archive/viewers/av.html) appears and takes focus' place.
    section.seekTo = function (t) {
      function go() {
        player.currentTime = t;
        mark(cueAt(t), true);
      }
      if (player.readyState >= 1) go();
      else player.addEventListener("loadedmetadata", go, { once: true });
      var jump = document.querySelector("[data-play-from='" + player.id + "']");
      if (jump) {
        var label = jump.querySelector("[data-play-from-time]");
        if (label) label.textContent = timecode(t);
        jump.hidden = false;
        if (!jump.bound) {
          jump.bound = true;
          jump.querySelector("button").addEventListener("click", function () { jump.hidden = true; play(); });
          player.addEventListener("play", function () { jump.hidden = true; });
        }
      }
    };

    section.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-start]");
      if (!button) return;
      var start = parseFloat(button.getAttribute("data-start")) || 0;
      player.currentTime = start;
      mark(cueAt(start));
      play();
    });
  }

  function timecode(t) {
    var s = Math.floor(t), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    var mm = h ? (m < 10 ? "0" : "") + m : String(m);
    return (h ? h + ":" : "") + mm + ":" + (sec < 10 ? "0" : "") + sec;
  }

  // "#t=3.2", "#t=npt:3.2" or "#t=3.2,5" (W3C media fragments): the start, in seconds.
  function fragmentTime() {
    var match = /(?:^#|&)t=(?:npt:)?(\d+(?:\.\d+)?)/.exec(window.location.hash);
    return match ? parseFloat(match[1]) : null;
  }

  function seekFromFragment() {
    var t = fragmentTime();
    var section = document.querySelector("[data-transcript-for]");
    if (t === null || !section || !section.seekTo) return;
    section.seekTo(t);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-transcript-for]"), setup);
    seekFromFragment();
    window.addEventListener("hashchange", seekFromFragment);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
