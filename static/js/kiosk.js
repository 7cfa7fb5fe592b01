/* The exhibition kiosk (templates/exhibitions/kit/kiosk.html; exhibitions/kit/kiosk.py).

   Consent offline: an entry is on screen only while it is listed in the newest manifest this
   kiosk holds and that manifest was confirmed less than the curator's limit ago. Online, the
   kiosk synchronises every data-resync seconds (and when the network comes back): an entry the
   manifest no longer lists leaves the screen and the cache at once.
   A visitor's path does not outlive them: after data-idle seconds without a touch the kiosk goes
   back to its start screen (and its home language), closing warnings and stopping recordings. */
(() => {
  "use strict";
  const body = document.body;
  if (!body.hasAttribute("data-kiosk")) return;
  const d = body.dataset;
  const STORE = `memories-kiosk:${d.slug}`;
  const HOME = `memories-kiosk-home:${d.slug}`;
  const CACHE = `memories-kiosk:${d.slug}`;
  const seconds = (v) => Number(v) * 1000;
  const rtl = document.documentElement.dir === "rtl";
  const params = new URLSearchParams(location.search);
  const $ = (s, root = document) => root.querySelector(s);
  const $$ = (s, root = document) => Array.from(root.querySelectorAll(s));

  function kioskId() {
    let id = localStorage.getItem("memories-kiosk-id");
    if (!id) {
      id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
      localStorage.setItem("memories-kiosk-id", id);
    }
    return id;
  }
  if (!params.has("visitor")) localStorage.setItem(HOME, location.pathname);

  function load() {
    const page = { confirmed_at: d.confirmedAt, entries: JSON.parse(d.entries), limit_seconds: Number(d.limit) };
    let held = null;
    try { held = JSON.parse(localStorage.getItem(STORE) || "null"); } catch (e) { held = null; }
    return held && Date.parse(held.confirmed_at) >= Date.parse(page.confirmed_at) ? held : page;
  }
  let manifest = load();
  const save = () => localStorage.setItem(STORE, JSON.stringify(manifest));

  const start = $("[data-slide=start]");
  let slides = [start];
  let current = 0;

  function confirmed() {
    const age = Date.now() - Date.parse(manifest.confirmed_at);
    return age <= seconds(manifest.limit_seconds) ? new Set(manifest.entries) : new Set();
  }

  function leave(slide) {
    $$("audio, video", slide).forEach((m) => { m.pause(); try { m.currentTime = 0; } catch (e) { /* not loaded */ } });
    const gate = $("[data-gate]", slide);
    if (gate) { gate.hidden = false; $("[data-memory]", slide).hidden = true; }
    slide.scrollTop = 0;
  }

  function show(index) {
    const target = slides[Math.max(0, Math.min(index, slides.length - 1))];
    $$(".kiosk__slide").forEach((s) => {
      if (s === target) return;
      if (!s.hidden) leave(s);
      s.hidden = true;
      s.classList.remove("is-current");
    });
    target.hidden = false;
    target.classList.add("is-current");
    current = slides.indexOf(target);
    $("[data-prev]").disabled = current === 0;
    $$(".kiosk__nav [data-next]").forEach((b) => { b.disabled = current >= slides.length - 1; });
    const count = $("[data-count]");
    count.textContent = current ? count.dataset.format.replace("{n}", current).replace("{total}", slides.length - 1) : "";
  }

  function apply() {
    const allowed = confirmed();
    const listed = new Set(manifest.entries);
    $$("[data-slide=entry], [data-entry-picture]").forEach((el) => {
      const id = Number(el.dataset.entry || el.dataset.entryPicture);
      if (!listed.has(id)) { if (!el.hidden) leave(el); el.remove(); }  // withdrawn or narrowed: gone for good
    });
    const onScreen = slides[current];
    slides = [start, ...$$("[data-slide=entry]").filter((s) => allowed.has(Number(s.dataset.entry)))];
    $$("[data-entry-picture]").forEach((img) => { img.hidden = !allowed.has(Number(img.dataset.entryPicture)); });
    $("[data-resting]").hidden = allowed.size > 0;
    $("[data-begin]").hidden = allowed.size === 0;
    body.dataset.shown = String(allowed.size);
    show(slides.includes(onScreen) ? slides.indexOf(onScreen) : 0);
  }

  async function refreshCache(m) {
    if (!("caches" in window)) return;
    const cache = await caches.open(CACHE);
    const absolute = (u) => new URL(u, location.href).href;
    const pages = new Set(m.pages.map(absolute));
    const wanted = new Set([...pages, ...m.files.map(absolute)]);
    for (const request of await cache.keys()) if (!wanted.has(request.url)) await cache.delete(request);
    const have = new Set((await cache.keys()).map((r) => r.url));
    for (const url of wanted) {
      if (have.has(url) && !pages.has(url)) continue;  // files do not change under one URL; pages do
      try {
        const response = await fetch(url, { cache: "no-store", credentials: "omit" });
        if (response.ok) await cache.put(url, response);
        else await cache.delete(url);
      } catch (e) { return; }  // offline again: finish at the next synchronisation
    }
    body.dataset.cached = m.confirmed_at;
  }

  let syncing = false;
  async function sync() {
    if (syncing) return;
    syncing = true;
    try {
      const response = await fetch(d.syncUrl, {
        method: "POST", cache: "no-store", credentials: "omit", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ kiosk: kioskId(), lang: d.lang, token: manifest.token || "" }),
      });
      if (response.status === 404) {  // the exhibition closed: nothing may be shown
        manifest = { confirmed_at: new Date().toISOString(), entries: [], limit_seconds: 0, pages: [], files: [] };
      } else if (response.ok) {
        manifest = await response.json();
      } else {
        return;
      }
      save();
      apply();
      body.dataset.synced = manifest.confirmed_at;
      await refreshCache(manifest);
    } catch (e) {
      /* offline: keep what is held; apply() hides it once it is older than the limit */
    } finally {
      syncing = false;
    }
  }

  // Touch first: buttons, swipes and (for staff) the arrow keys; nothing depends on hover.
  let lastTouch = Date.now();
  const step = (delta) => show(current + delta);
  document.addEventListener("click", (event) => {
    const target = event.target.closest("button");
    if (!target) return;
    if (target.matches("[data-next]")) step(1);
    else if (target.matches("[data-prev]")) step(-1);
    else if (target.matches("[data-home]")) show(0);
    else if (target.matches("[data-begin]")) show(1);
    else if (target.matches("[data-open-gate]")) {
      const slide = target.closest("[data-slide]");
      $("[data-gate]", slide).hidden = true;
      $("[data-memory]", slide).hidden = false;
      $$("img[data-src]", slide).forEach((img) => { img.src = img.dataset.src; });
    }
  });
  let downAt = null;
  document.addEventListener("pointerdown", (event) => { lastTouch = Date.now(); downAt = [event.clientX, event.clientY]; });
  document.addEventListener("pointerup", (event) => {
    if (!downAt) return;
    const dx = event.clientX - downAt[0];
    const dy = event.clientY - downAt[1];
    downAt = null;
    if (Math.abs(dx) > 80 && Math.abs(dy) < 80) step((dx < 0) !== rtl ? 1 : -1);
  });
  document.addEventListener("keydown", (event) => {
    lastTouch = Date.now();
    if (event.key === "ArrowRight") step(rtl ? -1 : 1);
    if (event.key === "ArrowLeft") step(rtl ? 1 : -1);
  });
  $$("audio, video").forEach((media) => {
    media.addEventListener("play", () => { lastTouch = Date.now(); });
    media.addEventListener("timeupdate", () => { if (!media.paused) lastTouch = Date.now(); });
  });

  // Captions on: shown by the browser over a video, and in large type under a recording.
  $$("track").forEach((track) => {
    const media = track.parentElement;
    const out = $("[data-captions]", media.closest("figure"));
    track.track.mode = media.tagName === "VIDEO" ? "showing" : "hidden";
    track.track.addEventListener("cuechange", () => {
      out.textContent = Array.from(track.track.activeCues || [], (cue) => cue.text).join(" ");
    });
  });

  function reset() {
    const home = localStorage.getItem(HOME);
    if (home && (home !== location.pathname || params.has("visitor"))) { location.replace(home); return; }
    $$(".kiosk__slide").forEach(leave);
    show(0);
  }

  let attractAt = Date.now();
  function tick() {
    apply();
    const now = Date.now();
    if (now - lastTouch > seconds(d.idle) && (current !== 0 || params.has("visitor"))) reset();
    if (current === 0 && now - attractAt > seconds(d.attract)) {
      attractAt = now;
      const pictures = $$("[data-attract-image]").filter((img) => !img.hidden);
      const shown = pictures.findIndex((img) => img.classList.contains("is-shown"));
      pictures.forEach((img) => img.classList.remove("is-shown"));
      if (pictures.length) pictures[(shown + 1) % pictures.length].classList.add("is-shown");
    }
  }

  if ("serviceWorker" in navigator) {
    JSON.parse(d.pages).forEach((page) => {
      const scope = page.replace(/[^/]+\/$/, "");
      navigator.serviceWorker.register(`${scope}sw.js`, { scope }).catch(() => {});
    });
  }
  apply();
  sync();
  setInterval(tick, 1000);
  setInterval(sync, seconds(d.resync));
  window.addEventListener("online", sync);
})();
