// Builds dist/index.cjs, the CommonJS entry of @buildsim/client, so `require("@buildsim/client")` works
// on Node 20 (which cannot require ES modules). One bundle of the compiled ESM with @buildsim/core inlined
// (core is ESM-only); `ws` stays a dependency, loaded only when a trace is watched.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const dist = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), "dist");

await build({
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["ws"],
  logLevel: "warning",
  entryPoints: [path.join(dist, "index.js")],
  outfile: path.join(dist, "index.cjs"),
});
// The types of the CommonJS entry: the same declarations, seen from a CommonJS file.
writeFileSync(path.join(dist, "index.d.cts"), 'export * from "./index.js";\n');
