/* Deep zoom for photographs: OpenSeadragon over the IIIF level-0 tiles (info.json).
 * Markup: templates/archive/viewers/image.html. The plain <picture> is the page's first paint and
 * stays without JavaScript (or if the tiles cannot be read). OpenSeadragon is fetched only when the
 * visitor reaches for a photograph (pointer over it, a touch, a wheel, focus on its buttons): its
 * ~280 KB would otherwise block a phone's main thread for over a second on every photo page. The
 * viewer then opens over the picture in the same box (the stage has the photo's shape from the
 * start), so nothing on the page moves. A button pressed before it is ready acts once it is. The
 * zoom controls are real buttons; the viewer itself is focusable and OpenSeadragon's keyboard
 * handling applies (arrows move, + and - zoom, 0 resets). */
(function () {
  "use strict";
  var INTENT = ["pointerenter", "pointerdown", "touchstart", "wheel", "focusin"];
  var library = null;

  function loadLibrary(src) {
    if (window.OpenSeadragon) return Promise.resolve();
    if (!library) {
      library = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = function () { library = null; reject(new Error("openseadragon")); };
        document.head.appendChild(script);
      });
    }
    return library;
  }

  function fetchInfo(url) {
    return fetch(url, { credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error("info.json " + response.status);
      return response.json();
    }).then(function (tileSource) {
      // Our level-0 services list whole-image `sizes` (thumb, web, ...) beside the tiles. When
      // their count happens to equal the pyramid's levels, OpenSeadragon takes them for the
      // levels' sizes and draws the wrong scale (a 1600x1200 photo squashed into a square): the
      // tiles alone describe the pyramid.
      if (tileSource.tiles && tileSource.tiles.length) delete tileSource.sizes;
      return tileSource;
    });
  }

  function act(viewer, action) {
    if (action === "in") viewer.viewport.zoomBy(1.5);
    else if (action === "out") viewer.viewport.zoomBy(1 / 1.5);
    else if (action === "home") viewer.viewport.goHome();
    else if (action === "full") viewer.setFullScreen(!viewer.isFullPage());
    viewer.viewport.applyConstraints();
  }

  function open(stage, tileSource, ready) {
    var figure = stage.closest("figure");
    var picture = stage.querySelector("picture");
    var help = figure.querySelector("[id$='-help']");
    // A photo whose size the page did not know takes its shape now (the only case that moves).
    if (!stage.style.aspectRatio && tileSource.width && tileSource.height) {
      stage.style.setProperty("--viewer-aspect", String(tileSource.width / tileSource.height));
      stage.style.aspectRatio = tileSource.width + " / " + tileSource.height;
    }
    var holder = document.createElement("div");
    holder.className = "viewer__osd";
    holder.setAttribute("role", "application");
    holder.setAttribute("aria-roledescription", "zoomable image");
    holder.setAttribute("aria-label", stage.getAttribute("data-viewer-label") || "");
    if (help) holder.setAttribute("aria-describedby", help.id);
    stage.insertBefore(holder, stage.firstChild);
    var viewer = window.OpenSeadragon({
      element: holder,
      tileSources: tileSource,
      showNavigationControl: false,   // our own buttons: labelled, translated, focusable
      crossOriginPolicy: "Anonymous",
      animationTime: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? 0 : 1.2,
      gestureSettingsMouse: { clickToZoom: false },
      visibilityRatio: 1,
      minZoomImageRatio: 1
    });
    viewer.addHandler("open", function () {
      if (picture) picture.hidden = true;
      var canvas = holder.querySelector(".openseadragon-canvas");
      if (canvas) canvas.setAttribute("tabindex", "0");
      stage.classList.remove("is-loading");
      ready(viewer);
    });
    viewer.addHandler("open-failed", function () { holder.remove(); stage.classList.remove("is-loading"); });
  }

  function prepare(stage) {
    var figure = stage.closest("figure");
    var controls = figure.querySelector(".viewer__controls");
    var viewer = null;
    var pending = [];
    var started = false;

    function start() {
      if (started) return;
      started = true;
      stage.classList.add("is-loading");
      loadLibrary(stage.getAttribute("data-osd-src")).then(function () {
        return fetchInfo(stage.getAttribute("data-iiif-info"));
      }).then(function (tileSource) {
        open(stage, tileSource, function (opened) {
          viewer = opened;
          pending.splice(0).forEach(function (action) { act(viewer, action); });
        });
      }).catch(function () {
        started = false;  // keep the plain picture; a later gesture may try again
        stage.classList.remove("is-loading");
      });
    }

    INTENT.forEach(function (type) { figure.addEventListener(type, start, { passive: true }); });
    if (controls) {
      controls.hidden = false;
      controls.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-zoom]");
        if (!button) return;
        var action = button.getAttribute("data-zoom");
        if (viewer) act(viewer, action);
        else { pending.push(action); start(); }
      });
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-iiif-info][data-osd-src]"), prepare);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
