// What local CI's `rules:exists` and `rules:changes` ask of a work tree, answered lazily (only when a rule
// asks) and once per run.

import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { globToRegExp } from "@buildsim/runner";

/** Directories never part of a project's files. */
const SKIPPED = new Set([".git", ".buildsim", "node_modules"]);

function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}

const anyMatch = (files: readonly string[], globs: readonly string[]) => {
  const patterns = globs.map(globToRegExp);
  return files.some((f) => patterns.some((p) => p.test(f)));
};

/** `rules:exists`: whether any file of the work tree matches one of the globs. */
export function createExists(root: string): (globs: readonly string[]) => boolean {
  let files: string[] | null = null;
  return (globs) => {
    files ??= listFiles(root);
    return anyMatch(files, globs);
  };
}

/**
 * `rules:changes`: files changed by the checked-out commit or not yet committed. Outside git nothing can be
 * compared, and GitLab then answers true.
 */
export function createChanges(root: string, isGit: boolean): (globs: readonly string[]) => boolean {
  if (!isGit) return () => true;
  let files: string[] | null = null;
  const git = (args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    } catch {
      return "";
    }
  };
  const changed = () => {
    const committed = git([
      "diff-tree",
      "--no-commit-id",
      "--name-only",
      "-r",
      "--root",
      "HEAD",
      "--relative",
    ]).split("\n");
    const pending = git(["status", "--porcelain", "--untracked-files=all", "--", "."])
      .split("\n")
      .map((l) => l.slice(3).split(" -> ").pop() ?? "");
    const prefix = git(["rev-parse", "--show-prefix"]).trim();
    // status paths are relative to the repository top; make them relative to the work tree like diff-tree's.
    const relative = pending.map((p) => (prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p));
    return [...new Set([...committed, ...relative].filter(Boolean))];
  };
  return (globs) => {
    files ??= changed();
    return anyMatch(files, globs);
  };
}
