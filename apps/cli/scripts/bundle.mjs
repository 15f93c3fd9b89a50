// Bundles the compiled CLI (dist/main.js and every workspace package it imports) into one file,
// dist/buildsim.mjs: Node 20 then loads one module instead of ~200, which takes ~100 ms off every
// `buildsim` start. better-sqlite3 stays outside (a native addon), loaded from node_modules.
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["better-sqlite3"],
  // Bundled CommonJS dependencies (ws) call require(); give the ES module one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
};
await build({ ...common, entryPoints: ["dist/main.js"], outfile: "dist/buildsim.mjs" });
