/* Builds the viewer bundle from node_modules (run by `npm install`/`npm ci` as postinstall):
 * Mirador 4's sources with React, MUI and emotion, minified, into node_modules/.memories/.
 * "@emotion/cache" resolves to frontend/emotion-cache-nonce.js so that every style element the
 * viewer inserts carries the page's CSP nonce (docs/security.md, "CSP for templates"). */
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const shim = path.join(here, "emotion-cache-nonce.js");

const nonceCache = {
  name: "emotion-cache-nonce",
  setup(build) {
    build.onResolve({ filter: /^@emotion\/cache$/ }, (args) => (args.importer === shim ? undefined : { path: shim }));
  },
};

await esbuild.build({
  entryPoints: [path.join(here, "mirador-entry.js")],
  outfile: path.join(root, "node_modules", ".memories", "mirador.min.js"),
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "linked",
  define: { "process.env.NODE_ENV": '"production"', global: "globalThis" },
  loader: { ".js": "jsx" },
  jsx: "automatic",
  nodePaths: [path.join(root, "node_modules")],
  plugins: [nonceCache],
  logLevel: "warning",
});
