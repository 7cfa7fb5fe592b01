/* The Mirador bundle the viewer page loads (static/vendor/mirador/mirador.min.js): Mirador 4 from
 * its sources in node_modules, built by frontend/build.mjs with the nonce-carrying emotion cache.
 * Mirador ships no Spanish or Russian interface: ours (frontend/locales/) travel with the bundle and
 * the viewer page hands them to Mirador's `translations` setting. */
import Mirador from "mirador/src";
import es from "./locales/es.json";
import ru from "./locales/ru.json";

window.Mirador = Mirador;
window.MiradorTranslations = { es: es, ru: ru };
