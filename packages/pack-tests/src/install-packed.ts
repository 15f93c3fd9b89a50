// Packs every public workspace package with `pnpm pack` (which rewrites `workspace:*` to versions) and
// installs the tarballs with plain npm into a scratch project, as a user on a fresh machine would.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { listWorkspacePackages, PNPM } from "./workspace-root.js";

export interface PackedInstall {
  /** The scratch project: package.json, node_modules with the tarballs installed. */
  dir: string;
  /** Tarball path by package name. */
  tarballs: Map<string, string>;
}

/** Packs the public packages into `<scratch>/tarballs`. */
export function packPublicPackages(into: string): Map<string, string> {
  mkdirSync(into, { recursive: true });
  const tarballs = new Map<string, string>();
  for (const pkg of listWorkspacePackages().filter((p) => !p.private)) {
    const before = new Set(readdirSync(into));
    execFileSync(PNPM, ["pack", "--pack-destination", into], { cwd: pkg.dir, stdio: "pipe" });
    const made = readdirSync(into).filter((f) => !before.has(f) && f.endsWith(".tgz"));
    if (made.length !== 1) throw new Error(`pnpm pack in ${pkg.dir} made ${made.length} tarballs`);
    tarballs.set(pkg.name, path.join(into, made[0]!));
  }
  return tarballs;
}

/**
 * A scratch project with the tarballs and `extra` registry packages installed by npm. better-sqlite3
 * compiles from source (its prebuilt binaries come from GitHub, unreachable offline) against this Node's
 * own headers, as `scripts/bootstrap.mjs` does for the workspace.
 */
export function installPacked(extra: readonly string[]): PackedInstall {
  const dir = mkdtempSync(path.join(os.tmpdir(), "buildsim-pack-"));
  const tarballs = packPublicPackages(path.join(dir, "tarballs"));
  const project = path.join(dir, "project");
  mkdirSync(project);
  writeFileSync(
    path.join(project, "package.json"),
    `${JSON.stringify({ name: "scratch", private: true, type: "module" }, null, 2)}\n`,
  );
  const result = spawnSync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs.values(), ...extra],
    {
      cwd: project,
      encoding: "utf8",
      env: {
        ...process.env,
        npm_config_nodedir: path.dirname(path.dirname(process.execPath)),
        npm_config_update_notifier: "false",
      },
    },
  );
  if (result.status !== 0) {
    throw new Error(
      `npm install of the tarballs failed (${result.status}):\n${result.stdout}${result.stderr}`,
    );
  }
  return { dir: project, tarballs };
}
