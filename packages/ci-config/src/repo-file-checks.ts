// `exists` and `changes` callbacks for a pipeline context, from a checkout on disk and a list of changed paths.

import { readdirSync } from "node:fs";
import path from "node:path";
import { matchesGlob } from "./glob-match.js";

/** Every file below `rootDir` as a repository path, `.git` left out. */
export function listRepositoryFiles(rootDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === ".git" && prefix === "") continue;
      const repoPath = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), repoPath);
      else files.push(repoPath);
    }
  };
  walk(rootDir, "");
  return files;
}

/** `rules:exists` over the files of a checkout: true when any file matches any glob. */
export function createExistsCheck(rootDir: string): (globs: readonly string[]) => boolean {
  let files: string[] | null = null;
  return (globs) => {
    files ??= listRepositoryFiles(rootDir);
    const list = files;
    return globs.some((glob) => list.some((file) => matchesGlob(glob, file)));
  };
}

/**
 * `rules:changes` / `only:changes` over the paths a push changed; pass null when there is nothing to compare
 * with (new branch, tag, schedule, web…), where GitLab answers true.
 */
export function createChangesCheck(
  changedPaths: readonly string[] | null,
): (globs: readonly string[]) => boolean {
  return (globs) =>
    changedPaths === null || globs.some((glob) => changedPaths.some((file) => matchesGlob(glob, file)));
}
