// Where the workspace is, and the tools the pack tests run from it (the pinned pnpm in .tools/).

import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo's root directory. */
export const WORKSPACE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The pinned pnpm `scripts/bootstrap.mjs` installs, else whatever `pnpm` is on PATH. */
export const PNPM = (() => {
  const pinned = path.join(WORKSPACE_ROOT, ".tools", "node_modules", ".bin", "pnpm");
  return existsSync(pinned) ? pinned : "pnpm";
})();

export interface WorkspacePackage {
  name: string;
  dir: string;
  private: boolean;
}

/** Every package under apps/ and packages/, read from its package.json. */
export function listWorkspacePackages(): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const group of ["apps", "packages"]) {
    for (const entry of readdirSync(path.join(WORKSPACE_ROOT, group))) {
      const dir = path.join(WORKSPACE_ROOT, group, entry);
      const manifest = path.join(dir, "package.json");
      if (!existsSync(manifest)) continue;
      const json = JSON.parse(readFileSync(manifest, "utf8")) as { name: string; private?: boolean };
      found.push({ name: json.name, dir, private: json.private === true });
    }
  }
  return found;
}
