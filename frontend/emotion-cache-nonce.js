/* Every emotion cache in the viewer bundle carries the page's CSP nonce.
 *
 * Mirador 4 (and MUI's StyledEngineProvider, and @emotion/react's default cache) create their
 * emotion caches with @emotion/cache's createCache() and no nonce, so each <style> they insert
 * would be refused by our policy (style-src 'self' 'nonce-…', no 'unsafe-inline'). The bundle
 * resolves "@emotion/cache" to this module (frontend/build.mjs), which adds the nonce the page
 * publishes in <meta property="csp-nonce"> (templates/exhibitions/viewers/mirador.html).
 */
import createCacheOriginal from "@emotion/cache"; // the real one: build.mjs resolves it normally from here;

function pageNonce() {
  var meta = typeof document !== "undefined" && document.querySelector('meta[property="csp-nonce"]');
  return (meta && meta.getAttribute("content")) || undefined;
}

export default function createCache(options) {
  var nonce = pageNonce();
  return createCacheOriginal(nonce && !options.nonce ? Object.assign({}, options, { nonce: nonce }) : options);
}
