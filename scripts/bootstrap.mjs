#!/usr/bin/env node
// Gets a fresh machine (Node 20 + npm only) from clone to a running command: installs the pinned pnpm
// into .tools/, installs the workspace with native builds compiled against this Node's own headers,
// then runs the requested job. `npm start` and `npm test` both come through here.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PNPM_VERSION = "12.4.2";
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const toolsDir = path.join(root, ".tools");
const toolsBin = path.join(toolsDir, "node_modules", ".bin");

const env = {
  ...process.env,
  PATH: [toolsBin, path.join(root, "node_modules", ".bin"), process.env.PATH].join(path.delimiter),
  // node-gyp would otherwise try to download headers; pnpm 11+ reads this only from the environment.
  npm_config_nodedir: path.dirname(path.dirname(process.execPath)),
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
};

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit" });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function installedPnpmVersion() {
  try {
    return execFileSync(path.join(toolsBin, "pnpm"), ["--version"], { env, encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

if (installedPnpmVersion() !== PNPM_VERSION) {
  console.log(`[bootstrap] installing pnpm ${PNPM_VERSION} into .tools/`);
  run("npm", ["install", "--prefix", toolsDir, "--no-save", "--no-package-lock", `pnpm@${PNPM_VERSION}`]);
}

const frozen = existsSync(path.join(root, "pnpm-lock.yaml")) ? ["--frozen-lockfile"] : [];
run("pnpm", ["install", ...frozen]);

const [job = "test", ...rest] = process.argv.slice(2);
const jobs = {
  // Every check CI runs: lint, typecheck, build and all tests, cached by turbo.
  test: () => {
    // System parts the tests use (dockerd and friends): installed and started, or one line saying what to do.
    run("node", [path.join(root, "scripts", "system-deps.mjs")]);
    run("pnpm", ["exec", "turbo", "run", "lint", "typecheck", "build", "test", ...rest]);
  },
  // The main job: the buildsim CLI's own main command, built first.
  // The main job: `buildsim run` on the example pipeline (or the buildsim command given after `--`).
  main: () => {
    run("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
    const args =
      rest.length > 0 ? rest : ["run", "--file", path.join("examples", "pipeline", ".gitlab-ci.yml")];
    run("node", [path.join(root, "apps", "cli", "dist", "buildsim.mjs"), ...args]);
  },
  bench: () => {
    run("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
    run("pnpm", ["--filter", "@buildsim/bench", "run", "bench", ...rest]);
  },
};
if (!jobs[job]) {
  console.error(`unknown job "${job}"; expected one of ${Object.keys(jobs).join(", ")}`);
  process.exit(2);
}
jobs[job]();
