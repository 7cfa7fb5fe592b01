/* Our own Mirador page (/<lang>/viewer/?manifest=...): opens one of our manifests or collections.
 * Markup: templates/exhibitions/viewers/mirador.html (the address is in data-manifest). */
(function () {
  "use strict";
  var el = document.getElementById("mirador");
  if (!el || !window.Mirador) return;
  var url = el.getAttribute("data-manifest");
  var isCollection = el.getAttribute("data-kind") === "collection";
  window.miradorInstance = Mirador.viewer({
    id: "mirador",
    windows: isCollection ? [] : [{ manifestId: url }],
    catalog: [{ manifestId: url }],
    window: { allowClose: false, defaultSideBarPanel: "info", sideBarOpenByDefault: false },
    workspaceControlPanel: { enabled: isCollection },
    selectedTheme: "light",
    language: document.documentElement.lang || "en"
  });
})();
