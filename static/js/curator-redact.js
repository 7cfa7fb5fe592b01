// Redaction on the material itself (the curator's redact page). Progressive enhancement: every
// tool here only fills the form's own fields, which work without JavaScript; the server validates
// and applies the real redaction from the private master.
//   photographs: draw, move and resize boxes (pointer, touch, keyboard), several at once, with a
//                preview of the blur; boxes are kept in master pixels in the hidden "regions" field
//   recordings:  a waveform timeline (peaks computed by the server) with playback; drag a range or
//                set its ends at the playhead
//   transcripts: words as toggle buttons that fill the "words to redact" field
(function () {
  "use strict";

  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }

  // --- photographs -------------------------------------------------------------------------------
  function imageEditor(form) {
    var wrap = form.querySelector(".cw-editor-wrap");
    if (!wrap) return;
    var editor = wrap.querySelector(".cw-editor");
    var img = editor.querySelector("img");
    var W = parseInt(editor.dataset.width, 10), H = parseInt(editor.dataset.height, 10);
    if (!W || !H) return;
    var hidden = document.getElementById(editor.dataset.regions);
    var kind = form.querySelector("select[name=kind]");
    var status = wrap.querySelector(".cw-region-status");
    var preview = wrap.querySelector(".cw-preview-toggle");
    var addButton = wrap.querySelector(".cw-add-region");
    var helpId = wrap.querySelector(".cw-help").id;
    var fields = {};
    ["x", "y", "w", "h"].forEach(function (k) { fields[k] = form.querySelector("[data-edge=" + k + "]"); });
    var boxes = [];
    var active = null;
    wrap.hidden = false;

    function perScreenPixel() { return W / (img.clientWidth || W); }
    function fit(b) {
      b.w = clamp(Math.round(b.w), 1, W); b.h = clamp(Math.round(b.h), 1, H);
      b.x = clamp(Math.round(b.x), 0, W - b.w); b.y = clamp(Math.round(b.y), 0, H - b.h);
    }
    function describe(b, n) {
      return (wrap.dataset.regionLabel || "Region") + " " + n + ": " + b.x + ", " + b.y + ", " + b.w + " × " + b.h + " px";
    }
    function render() {
      boxes.forEach(function (b, i) {
        fit(b);
        var s = b.el.style;
        s.left = (b.x / W * 100) + "%"; s.top = (b.y / H * 100) + "%";
        s.width = (b.w / W * 100) + "%"; s.height = (b.h / H * 100) + "%";
        b.el.querySelector(".cw-box-label").textContent = String(i + 1);
        b.el.setAttribute("aria-label", describe(b, i + 1));
        b.el.classList.toggle("cw-blur-preview", preview.getAttribute("aria-pressed") === "true" && kind.value === "blur");
      });
      hidden.value = boxes.length ? JSON.stringify(boxes.map(function (b) { return [b.x, b.y, b.w, b.h]; })) : "";
      if (active) { ["x", "y", "w", "h"].forEach(function (k) { fields[k].value = active[k]; }); }
      status.textContent = boxes.map(function (b, i) { return describe(b, i + 1); }).join("; ");
    }
    function add(b) {
      var el = document.createElement("div");
      el.className = "cw-box";
      el.tabIndex = 0;
      el.setAttribute("role", "group");
      el.setAttribute("aria-describedby", helpId);
      el.innerHTML = '<span class="cw-box-label" aria-hidden="true"></span><span class="cw-handle-resize" aria-hidden="true"></span>';
      editor.appendChild(el);
      b.el = el;
      boxes.push(b);
      el.addEventListener("focus", function () { active = b; render(); });
      el.addEventListener("keydown", function (e) { keys(e, b); });
      active = b;
      render();
      return b;
    }
    function remove(b) {
      boxes = boxes.filter(function (o) { return o !== b; });
      b.el.remove();
      active = boxes[boxes.length - 1] || null;
      if (!active) { ["x", "y", "w", "h"].forEach(function (k) { fields[k].value = ""; }); }
      render();
    }
    function keys(e, b) {
      var step = e.altKey ? 1 : Math.max(1, Math.round(Math.max(W, H) / 100));
      var d = {ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step]}[e.key];
      if (d) {
        if (e.shiftKey) { b.w += d[0]; b.h += d[1]; } else { b.x += d[0]; b.y += d[1]; }
        render();
        e.preventDefault();
      } else if (e.key === "Delete" || e.key === "Backspace") {
        remove(b);
        (active ? active.el : addButton).focus();
        e.preventDefault();
      }
    }

    // Pointer and touch: draw on the photograph, drag a box, drag its corner.
    var drag = null;
    function point(e) {
      var r = editor.getBoundingClientRect(), k = perScreenPixel();
      return {x: clamp((e.clientX - r.left) * k, 0, W), y: clamp((e.clientY - r.top) * k, 0, H)};
    }
    editor.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) return;
      var p = point(e);
      var boxEl = e.target.closest(".cw-box");
      var b = boxEl && boxes.filter(function (o) { return o.el === boxEl; })[0];
      if (b) {
        drag = {mode: e.target.classList.contains("cw-handle-resize") ? "resize" : "move", box: b, p: p,
                start: {x: b.x, y: b.y, w: b.w, h: b.h}};
      } else {
        drag = {mode: "draw", box: add({x: p.x, y: p.y, w: 1, h: 1}), p: p};
      }
      active = drag.box;
      editor.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    editor.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var p = point(e), b = drag.box, dx = p.x - drag.p.x, dy = p.y - drag.p.y;
      if (drag.mode === "draw") {
        b.x = Math.min(p.x, drag.p.x); b.y = Math.min(p.y, drag.p.y);
        b.w = Math.abs(dx); b.h = Math.abs(dy);
      } else if (drag.mode === "move") {
        b.x = drag.start.x + dx; b.y = drag.start.y + dy;
      } else {
        b.w = drag.start.w + dx; b.h = drag.start.h + dy;
      }
      render();
    });
    function end() {
      if (!drag) return;
      var b = drag.box;
      // A click without a drag is not a region.
      if (drag.mode === "draw" && (b.w < 4 || b.h < 4)) { remove(b); } else { b.el.focus(); }
      drag = null;
    }
    editor.addEventListener("pointerup", end);
    editor.addEventListener("pointercancel", end);

    addButton.addEventListener("click", function () {
      add({x: W * 3 / 8, y: H * 3 / 8, w: W / 4, h: H / 4}).el.focus();
    });
    preview.addEventListener("click", function () {
      preview.setAttribute("aria-pressed", preview.getAttribute("aria-pressed") === "true" ? "false" : "true");
      render();
    });
    kind.addEventListener("change", render);
    // Typing in the number fields moves the current box (or makes one once all four are given).
    Object.keys(fields).forEach(function (k) {
      fields[k].addEventListener("input", function () {
        var v = {};
        var ok = Object.keys(fields).every(function (n) { v[n] = parseInt(fields[n].value, 10); return !isNaN(v[n]); });
        if (active) { if (!isNaN(v[k])) { active[k] = v[k]; render(); } }
        else if (ok) { add(v); }
      });
    });
  }

  // --- recordings --------------------------------------------------------------------------------
  function timeline(form) {
    var wrap = form.querySelector(".cw-timeline-wrap");
    if (!wrap) return;
    var tl = wrap.querySelector(".cw-timeline");
    var canvas = tl.querySelector("canvas");
    var range = tl.querySelector(".cw-range");
    var head = tl.querySelector(".cw-playhead");
    var player = wrap.querySelector(".cw-player");
    var start = form.querySelector("[data-edge=start]"), end = form.querySelector("[data-edge=end]");
    var duration = parseFloat(tl.dataset.duration) || 0;
    wrap.hidden = false;

    function dur() { return duration || player.duration || 1; }
    function timeAt(clientX) {
      var r = tl.getBoundingClientRect();
      return clamp((clientX - r.left) / r.width, 0, 1) * dur();
    }
    function show() {
      var a = parseFloat(start.value), b = parseFloat(end.value);
      range.hidden = isNaN(a) || isNaN(b) || b <= a;
      if (!range.hidden) {
        range.style.left = (a / dur() * 100) + "%";
        range.style.width = ((Math.min(b, dur()) - a) / dur() * 100) + "%";
      }
    }
    function draw(peaks) {
      var ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
      ctx.clearRect(0, 0, w, h);
      ctx.fillStyle = "#1f4e79";
      var bar = w / Math.max(1, peaks.length);
      peaks.forEach(function (p, i) {
        var ph = Math.max(1, p * (h - 4));
        ctx.fillRect(i * bar, (h - ph) / 2, Math.max(1, bar - 1), ph);
      });
    }
    fetch(tl.dataset.waveform, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        duration = d.duration || duration;
        draw(d.peaks || []);
        tl.dataset.ready = "true";
        show();
      });

    var from = null, moved = false;
    tl.addEventListener("pointerdown", function (e) {
      from = timeAt(e.clientX); moved = false;
      tl.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    tl.addEventListener("pointermove", function (e) {
      if (from === null) return;
      var t = timeAt(e.clientX);
      if (Math.abs(t - from) < dur() / 200) return;
      moved = true;
      start.value = Math.min(t, from).toFixed(1);
      end.value = Math.max(t, from).toFixed(1);
      show();
    });
    tl.addEventListener("pointerup", function (e) {
      if (from !== null && !moved) { player.currentTime = timeAt(e.clientX); }
      from = null;
    });
    player.addEventListener("timeupdate", function () {
      head.style.left = (player.currentTime / dur() * 100) + "%";
      if (wrap.dataset.stopAt && player.currentTime >= parseFloat(wrap.dataset.stopAt)) {
        player.pause();
        delete wrap.dataset.stopAt;
      }
    });
    wrap.querySelector(".cw-set-start").addEventListener("click", function () {
      start.value = player.currentTime.toFixed(1); show();
    });
    wrap.querySelector(".cw-set-end").addEventListener("click", function () {
      end.value = player.currentTime.toFixed(1); show();
    });
    wrap.querySelector(".cw-play-range").addEventListener("click", function () {
      var a = parseFloat(start.value), b = parseFloat(end.value);
      if (isNaN(a) || isNaN(b)) return;
      player.currentTime = a;
      wrap.dataset.stopAt = String(b);
      player.play();
    });
    start.addEventListener("input", show);
    end.addEventListener("input", show);
  }

  // --- transcripts -------------------------------------------------------------------------------
  function words(form) {
    var wrap = form.querySelector(".cw-words-wrap");
    if (!wrap) return;
    var area = form.querySelector("textarea[name=words]");
    wrap.hidden = false;
    function clean(w) { return w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""); }
    function lines() { return area.value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean); }
    function mark() {
      var chosen = lines().map(function (s) { return s.toLowerCase(); });
      wrap.querySelectorAll(".cw-word").forEach(function (b) {
        b.setAttribute("aria-pressed", chosen.indexOf(clean(b.textContent).toLowerCase()) >= 0 ? "true" : "false");
      });
    }
    wrap.addEventListener("click", function (e) {
      var b = e.target.closest(".cw-word");
      if (!b) return;
      var w = clean(b.textContent);
      if (!w) return;
      var now = lines();
      var i = now.map(function (s) { return s.toLowerCase(); }).indexOf(w.toLowerCase());
      if (i >= 0) { now.splice(i, 1); } else { now.push(w); }
      area.value = now.join("\n");
      mark();
    });
    area.addEventListener("input", mark);
  }

  document.querySelectorAll(".cw-redact-form").forEach(function (form) {
    var kind = form.dataset.kind;
    if (kind === "image") imageEditor(form);
    else if (kind === "transcript") words(form);
    else timeline(form);
  });
})();
