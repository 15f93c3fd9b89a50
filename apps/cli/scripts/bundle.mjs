// Bundles the compiled CLI (dist/main.js and every workspace package it imports) into one file,
// dist/buildsim.cjs: Node 20 then loads one file instead of ~200, which takes ~100 ms off every
// `buildsim` start. better-sqlite3 stays outside (a native addon), loaded from node_modules.
// dist/buildsim.mjs (the bin) runs it with a V8 code cache made here by running a small sample pipeline
// with it (see scripts/code-cache-loader.mjs): Node 20 has no compile cache of its own.
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const cliDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(cliDir, "dist");

/**
 * A small pipeline of its own that goes through what any run does (stages, needs, artifacts,
 * dependencies, an allowed failure): which functions get compiled does not depend on the jobs' content.
 */
const SAMPLE_PIPELINE = `stages: [build, test]
make:
  stage: build
  script: [mkdir -p out, echo made > out/file.txt]
  artifacts: { paths: [out/] }
check:
  stage: test
  script: [cat out/file.txt]
quick:
  stage: test
  needs: []
  script: [echo quick]
tolerated:
  stage: test
  allow_failure: true
  script: [exit 1]
`;

await build({
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // cpu-features is an optional native addon ssh2 (under dockerode) loads inside a try.
  external: ["better-sqlite3", "cpu-features"],
  // A CommonJS bundle has no import.meta: the modules that use it get the bundle's own URL.
  define: { "import.meta.url": "__buildsimBundleUrl" },
  banner: { js: 'const __buildsimBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
  entryPoints: [path.join(dist, "main.js")],
  outfile: path.join(dist, "buildsim.cjs"),
});
copyFileSync(path.join(cliDir, "scripts", "code-cache-loader.mjs"), path.join(dist, "buildsim.mjs"));
// The runner's reaper runs as a process of its own beside the bundle (see apps/runner/src/job-reaper.ts).
await build({
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["cpu-features"],
  logLevel: "warning",
  entryPoints: [path.join(cliDir, "..", "runner", "dist", "reaper-main.js")],
  outfile: path.join(dist, "reaper-main.cjs"),
});
// The PostgreSQL store's connection worker runs as a worker thread, loaded from beside the module that
// starts it: for the bundle, dist/pg-worker.mjs here, with `pg` inside. pg-native is pg's optional
// native driver, never loaded. An ES module bundle of CommonJS code needs a `require` for Node's modules.
await build({
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["pg-native"],
  banner: {
    js: 'import { createRequire as __buildsimCreateRequire } from "node:module"; const require = __buildsimCreateRequire(import.meta.url);',
  },
  logLevel: "warning",
  entryPoints: [
    path.join(cliDir, "node_modules", "@buildsim", "server", "dist", "store", "postgres", "pg-worker.mjs"),
  ],
  outfile: path.join(dist, "pg-worker.mjs"),
});
// The SQLite store's checkpoint worker (a worker thread, loaded from beside the module that starts it)
// imports only Node and better-sqlite3, which stays outside the bundle: it is copied as it is.
copyFileSync(
  path.join(cliDir, "node_modules", "@buildsim", "server", "dist", "store", "wal-checkpoint-worker.mjs"),
  path.join(dist, "wal-checkpoint-worker.mjs"),
);
// The server finds its web UI in `ui/` beside the module holding it: for the bundle, dist/ui here.
const webUi = path.join(cliDir, "node_modules", "@buildsim", "server", "dist", "ui");
rmSync(path.join(dist, "ui"), { recursive: true, force: true });
if (existsSync(webUi)) cpSync(webUi, path.join(dist, "ui"), { recursive: true });

const cacheFile = path.join(dist, "buildsim.cjs.cache");
rmSync(cacheFile, { force: true });
writeCodeCache();

/** Runs SAMPLE_PIPELINE with the bundle in a scratch git repository; the loader writes the cache on exit. */
function writeCodeCache() {
  const work = mkdtempSync(path.join(os.tmpdir(), "buildsim-code-cache-"));
  try {
    const project = path.join(work, "project");
    const data = path.join(work, "data");
    mkdirSync(project);
    writeFileSync(path.join(project, ".gitlab-ci.yml"), SAMPLE_PIPELINE);
    writeFileSync(path.join(project, "README.md"), "code cache sample\n");
    const git = (...args) =>
      spawnSync("git", ["-c", "user.name=buildsim", "-c", "user.email=buildsim@localhost", ...args], {
        cwd: project,
      });
    // Without git the run still works (a plain directory), it only warms less of the CLI.
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-qm", "sample");
    const run = spawnSync(
      process.execPath,
      [path.join(dist, "buildsim.mjs"), "run", "--data", data, "--concurrent", "10"],
      {
        cwd: project,
        encoding: "utf8",
        env: { ...process.env, BUILDSIM_CODE_CACHE_OUT: cacheFile, FORCE_COLOR: "0" },
      },
    );
    if (run.status !== 0) {
      // The CLI works without a cache; a failed sample run must not leave a half-warmed one behind.
      rmSync(cacheFile, { force: true });
      console.warn(
        `bundle: no code cache (the sample run exited ${run.status}):\n${run.stdout}${run.stderr}`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
