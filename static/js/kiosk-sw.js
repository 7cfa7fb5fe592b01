/* The kiosk's service worker (templates/exhibitions/kit/kiosk.html). Served from /<lang>/kiosk/sw.js,
   so its scope is that language's kiosk pages and nothing else of the site; static/js/kiosk.js
   registers one per language so that switching language works offline too.

   It never decides what may be shown: kiosk.js fills and prunes the cache from the signed manifest
   (a withdrawn memory's files are deleted from it at the next synchronisation) and hides entries
   whose consent it could not confirm in time. Pages come from the network when there is one.
   Requests made with cache: "no-store" (synchronisation, refreshing the cache) always go out. */
"use strict";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.cache === "no-store") return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() =>
      caches.match(request, { ignoreSearch: true }).then((hit) => hit || Response.error())));
    return;
  }
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
});
