/* The Mirador bundle the viewer page loads (static/vendor/mirador/mirador.min.js): Mirador 4 from
 * its sources in node_modules, built by frontend/build.mjs with the nonce-carrying emotion cache. */
import Mirador from "mirador/src";

window.Mirador = Mirador;
