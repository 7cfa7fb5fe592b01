/* Deep zoom for photographs: OpenSeadragon over the IIIF level-0 tiles (info.json).
 * Markup: templates/exhibitions/viewers/image.html. Without JavaScript (or if the tiles cannot
 * be read) the plain <picture> stays. The zoom controls are real buttons; the viewer itself is
 * focusable and OpenSeadragon's keyboard handling applies (arrows move, + and - zoom, 0 resets). */
(function () {
  "use strict";
  if (!window.OpenSeadragon) return;

  function setup(stage) {
    var info = stage.getAttribute("data-iiif-info");
    var figure = stage.closest("figure");
    var controls = figure.querySelector(".viewer__controls");
    var help = figure.querySelector(".viewer__help");
    fetch(info, { credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error("info.json " + response.status);
      return response.json();
    }).then(function (tileSource) {
      // Our level-0 services list whole-image `sizes` (thumb, web, ...) beside the tiles. When
      // their count happens to equal the pyramid's levels, OpenSeadragon takes them for the
      // levels' sizes and draws the wrong scale (a 1600x1200 photo squashed into a square): the
      // tiles alone describe the pyramid.
      if (tileSource.tiles && tileSource.tiles.length) delete tileSource.sizes;
      var picture = stage.querySelector("picture");
      var holder = document.createElement("div");
      holder.className = "viewer__osd";
      holder.setAttribute("role", "application");
      holder.setAttribute("aria-roledescription", "zoomable image");
      holder.setAttribute("aria-label", stage.getAttribute("data-viewer-label") || "");
      // The viewer takes the photo's shape (up to the stage's height), so "fit" has no bars.
      if (tileSource.width && tileSource.height) {
        holder.style.setProperty("--viewer-aspect", String(tileSource.width / tileSource.height));
        holder.style.aspectRatio = tileSource.width + " / " + tileSource.height;
      }
      stage.appendChild(holder);
      var viewer = OpenSeadragon({
        element: holder,
        tileSources: tileSource,
        showNavigationControl: false,   // our own buttons below: labelled, translated, focusable
        crossOriginPolicy: "Anonymous",
        animationTime: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? 0 : 1.2,
        gestureSettingsMouse: { clickToZoom: false },
        visibilityRatio: 1,
        minZoomImageRatio: 1
      });
      viewer.addHandler("open", function () {
        if (picture) picture.hidden = true;
        if (controls) controls.hidden = false;
        if (help) help.hidden = false;
        var canvas = holder.querySelector(".openseadragon-canvas");
        if (canvas) canvas.setAttribute("tabindex", "0");
      });
      viewer.addHandler("open-failed", function () { holder.remove(); });
      if (controls) {
        controls.addEventListener("click", function (event) {
          var button = event.target.closest("button[data-zoom]");
          if (!button) return;
          var action = button.getAttribute("data-zoom");
          if (action === "in") viewer.viewport.zoomBy(1.5);
          else if (action === "out") viewer.viewport.zoomBy(1 / 1.5);
          else if (action === "home") viewer.viewport.goHome();
          else if (action === "full") viewer.setFullScreen(!viewer.isFullPage());
          viewer.viewport.applyConstraints();
        });
      }
    }).catch(function () { /* keep the plain picture */ });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-iiif-info]"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
