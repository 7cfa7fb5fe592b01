/* Our own Mirador page (/<lang>/viewer/?manifest=...): opens one of our manifests or collections.
 * Markup: templates/exhibitions/viewers/mirador.html (the address is in data-manifest).
 * A collection (an exhibition) opens on its first manifest, with every manifest of the collection
 * in the catalogue, so the visitor sees the exhibition at once rather than Mirador's empty start. */
(function () {
  "use strict";
  var el = document.getElementById("mirador");
  if (!el || !window.Mirador) return;
  var url = el.getAttribute("data-manifest");
  var isCollection = el.getAttribute("data-kind") === "collection";

  function open(first, catalog) {
    window.miradorInstance = Mirador.viewer({
      id: "mirador",
      windows: first ? [{ manifestId: first }] : [],
      catalog: catalog,
      window: { allowClose: false, defaultSideBarPanel: "info", sideBarOpenByDefault: false },
      workspaceControlPanel: { enabled: isCollection },
      selectedTheme: "light",
      language: document.documentElement.lang || "en"
    });
  }

  if (!isCollection) { open(url, [{ manifestId: url }]); return; }
  fetch(url, { headers: { Accept: "application/ld+json, application/json" } })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (collection) {
      var manifests = (collection.items || collection.manifests || []).filter(function (m) {
        return /Manifest$/.test(m.type || m["@type"] || "");
      }).map(function (m) { return m.id || m["@id"]; });
      // An empty collection still opens as a collection window (Mirador lists what it holds).
      open(manifests[0] || url, [{ manifestId: url }].concat(manifests.map(function (id) { return { manifestId: id }; })));
    })
    .catch(function () { open(url, [{ manifestId: url }]); });
})();
