/* Our own Mirador page (/<lang>/viewer/?manifest=... or ?collection=...): opens one of our manifests,
 * or a collection on its first manifest with the collection's list open beside it (rather than
 * Mirador's empty start screen). Markup: templates/exhibitions/viewers/mirador.html (the address is
 * in data-manifest). The bundle is Mirador 4 built by frontend/build.mjs. */
(function () {
  "use strict";
  var el = document.getElementById("mirador");
  if (!el || !window.Mirador) return;
  var url = el.getAttribute("data-manifest");
  var isCollection = el.getAttribute("data-kind") === "collection";
  var rtl = document.documentElement.dir === "rtl";
  // Mirador's own name for Simplified Chinese ("zh-CN" is the key of its resources: "zhCn" fell
  // back to English); Spanish and Russian come with our bundle (frontend/locales/).
  var lang = { "zh-hans": "zh-CN" }[document.documentElement.lang] || document.documentElement.lang || "en";
  // On a phone the list would leave the picture a sliver: it is one tap away in the side bar instead.
  var wide = window.matchMedia("(min-width: 700px)").matches;

  function start(windows) {
    window.miradorInstance = Mirador.viewer({
      id: "mirador",
      windows: windows,
      catalog: [{ manifestId: url }],
      window: { allowClose: false, sideBarPanel: "info", sideBarOpen: false },
      workspace: { allowNewWindows: isCollection },
      workspaceControlPanel: { enabled: isCollection },
      selectedTheme: "light",
      themes: { light: { direction: rtl ? "rtl" : "ltr" } },
      language: lang,
      translations: window.MiradorTranslations || {}
    });
  }

  function items(doc, type) {
    return (doc.items || []).filter(function (item) { return item && item.type === type && item.id; });
  }

  // Walks down from the collection to its first manifest (through at most three nested
  // collections: the top collection lists exhibitions, an exhibition lists items).
  function firstManifest(collectionUrl, path, depth) {
    return fetch(collectionUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (doc) {
        var manifests = items(doc, "Manifest");
        if (manifests.length) return { manifestId: manifests[0].id, collectionPath: path.concat([collectionUrl]) };
        var collections = items(doc, "Collection");
        if (collections.length && depth < 3) {
          return firstManifest(collections[0].id, path.concat([collectionUrl]), depth + 1);
        }
        return null;
      });
  }

  if (!isCollection) {
    start([{ manifestId: url }]);
    return;
  }
  firstManifest(url, [], 0).then(function (found) {
    if (!found) return start([]);  // an empty collection: the catalogue still offers it
    start([{
      manifestId: found.manifestId, collectionPath: found.collectionPath,
      sideBarOpen: wide, sideBarPanel: "collection"
    }]);
  }).catch(function () { start([]); });
})();
