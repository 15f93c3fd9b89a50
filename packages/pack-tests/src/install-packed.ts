// Packs every public workspace package with `pnpm pack` (which rewrites `workspace:*` to versions) and
// installs the tarballs with plain npm into a scratch project, as a user on a fresh machine would.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { listWorkspacePackages, PNPM, WORKSPACE_ROOT } from "./workspace-root.js";

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
 * better-sqlite3's install script is `prebuild-install || node-gyp rebuild`: prebuild-install first looks
 * for `<name>-v<version>-node-v<abi>-<platform>-<arch>.tar.gz` in the directory
 * `npm_config_better_sqlite3_local_prebuilds` names (its documented `--local-prebuilds`), then downloads
 * from GitHub (unreachable here), and only then does npm compile from source (minutes). The workspace
 * already compiled the same version for this Node: packed as that tarball, the scratch install unpacks
 * it in a second. The environment for npm, or none when the workspace has no build of that version.
 */
function localSqlitePrebuild(into: string): Record<string, string> {
  const require = createRequire(path.join(WORKSPACE_ROOT, "apps", "server", "package.json"));
  const dir = path.dirname(require.resolve("better-sqlite3/package.json"));
  const binary = path.join("build", "Release", "better_sqlite3.node");
  if (!existsSync(path.join(dir, binary))) return {};
  const { version } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string };
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  mkdirSync(into, { recursive: true });
  execFileSync("tar", ["-czf", path.join(into, name), "-C", dir, binary]);
  return { npm_config_better_sqlite3_local_prebuilds: into };
}

/**
 * A scratch project with the tarballs and `extra` registry packages installed by npm. better-sqlite3 comes
 * from the workspace's own build of it (see localSqlitePrebuild); without one it compiles from source
 * against this Node's headers, as `scripts/bootstrap.mjs` does for the workspace.
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
        ...localSqlitePrebuild(path.join(dir, "prebuilds")),
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
