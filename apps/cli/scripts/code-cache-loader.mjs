#!/usr/bin/env node
// `buildsim`'s entry (copied to dist/buildsim.mjs): runs the bundled CLI (dist/buildsim.cjs) with the V8
// code cache the build made for it (dist/buildsim.cjs.cache), so this Node neither parses nor compiles
// the functions a run needs again (~40 ms of a `buildsim run`). A cache this V8 rejects (another Node
// version or flags) only means compiling as usual.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "buildsim.cjs");
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The bundle starts with main.js's `#!` line, which is no JavaScript inside a function: comment it out.
const source = readFileSync(file, "utf8").replace(/^#!/, "//");
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: file,
  cachedData,
});
// The build sets this while it runs a sample pipeline: on exit the cache then holds every function the
// run compiled, not only the top level.
const cacheOut = process.env.BUILDSIM_CODE_CACHE_OUT;
if (cacheOut) process.on("exit", () => writeFileSync(cacheOut, script.createCachedData()));
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
