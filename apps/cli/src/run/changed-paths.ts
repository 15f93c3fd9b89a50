// The files a local run counts as changed for `rules:changes`: those the checked-out commit changed and
// those not yet committed. Outside git nothing can be compared (null), and GitLab then answers true.

import { execFileSync } from "node:child_process";

/** Paths relative to `root` (the project's directory inside the repository), or null outside git. */
export function readChangedPaths(root: string, isGit: boolean): string[] | null {
  if (!isGit) return null;
  const git = (args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    } catch {
      return "";
    }
  };
  const committed = git([
    "diff-tree",
    "--no-commit-id",
    "--name-only",
    "-r",
    "--root",
    "--relative",
    "HEAD",
  ]).split("\n");
  // status paths are relative to the repository top; make them relative to `root` like diff-tree's.
  const prefix = git(["rev-parse", "--show-prefix"]).trim();
  const pending = git(["status", "--porcelain", "--untracked-files=all", "--", "."])
    .split("\n")
    .map((l) => l.slice(3).split(" -> ").pop() ?? "")
    .map((p) => (prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p));
  return [...new Set([...committed, ...pending].filter(Boolean))].sort();
}
