// Copy the browser builds of Cytoscape.js and its layout extensions (dagre, cose-bilkent) from
// node_modules (installed from the npm registry by `npm ci`) into static/vendor, which the
// service serves at /static/vendor. Nothing is fetched at run time.
import { copyFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "static", "vendor");
const files = [
  ["cytoscape/dist/cytoscape.min.js", "cytoscape.min.js"],
  ["dagre/dist/dagre.min.js", "dagre.min.js"],
  ["cytoscape-dagre/cytoscape-dagre.js", "cytoscape-dagre.js"],
  ["layout-base/layout-base.js", "layout-base.js"],
  ["cose-base/cose-base.js", "cose-base.js"],
  ["cytoscape-cose-bilkent/cytoscape-cose-bilkent.js", "cytoscape-cose-bilkent.js"],
];
mkdirSync(out, { recursive: true });
for (const [from, to] of files) {
  const src = join(here, "node_modules", from);
  if (!existsSync(src)) {
    console.error(`build: ${src} is missing: run npm ci in ${here} first`);
    process.exit(1);
  }
  copyFileSync(src, join(out, to));
}
console.log(`build: ${files.length} files in ${out}`);
