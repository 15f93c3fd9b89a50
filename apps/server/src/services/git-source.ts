// A local git repository as a project's repository: refs resolve to commits, and `.gitlab-ci.yml`,
// `include:local`, `rules:exists` and `rules:changes` are answered as of that commit (not the work tree).

import { execFileSync } from "node:child_process";
import type { CiFileReader } from "@buildsim/ci-config";
import type { Commit } from "@buildsim/core";

/** A ref resolved in the repository. */
export interface ResolvedRef {
  sha: string;
  tag: boolean;
}

/** `2015-12-24T16:51:14+01:00` → `2015-12-24T16:51:14.000+01:00` (how GitLab renders git dates). */
export function withMilliseconds(isoDate: string): string {
  return isoDate.replace(/(T\d{2}:\d{2}:\d{2})(?!\.)/, "$1.000");
}

/** `git log -1` arguments whose output `parseCommitLog` reads; append the revision and `--`. */
export const COMMIT_LOG_ARGS = [
  "log",
  "-1",
  "--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B",
];

/** A commit of project `projectId` from the output of `git COMMIT_LOG_ARGS <rev> --`. */
export function parseCommitLog(projectId: number, out: string): Commit {
  const [sha = "", parents = "", an = "", ae = "", ad = "", cn = "", ce = "", cd = "", body = ""] = out
    .replace(/\n$/, "")
    .split("\0");
  return {
    projectId,
    sha,
    message: body.replace(/\n+$/, "\n"),
    authorName: an,
    authorEmail: ae,
    authoredDate: withMilliseconds(ad),
    committerName: cn,
    committerEmail: ce,
    committedDate: withMilliseconds(cd),
    parentIds: parents.split(" ").filter(Boolean),
  };
}

/** Reads one repository; every call runs git synchronously (pipeline creation is one transaction). */
export function createGitSource(dir: string) {
  const git = (args: string[]): string | null => {
    try {
      return execFileSync("git", args, {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        maxBuffer: 64 << 20,
      });
    } catch {
      return null;
    }
  };
  return {
    /** A branch, tag or sha; null when the repository has no such ref. */
    resolve(ref: string): ResolvedRef | null {
      if (ref.startsWith("-")) return null;
      const sha = git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])?.trim();
      if (!sha) return null;
      const tag = git(["show-ref", "--verify", "--quiet", `refs/tags/${ref}`]) !== null;
      return { sha, tag };
    },

    /** The commit as GitLab stores it (dates in the commit's own timezone). */
    commit(projectId: number, sha: string): Commit {
      return { ...parseCommitLog(projectId, git([...COMMIT_LOG_ARGS, sha, "--"]) ?? ""), sha };
    },

    /** Files as of `sha` (`git show sha:path`). */
    reader(sha: string): CiFileReader {
      return (repoPath) => git(["show", `${sha}:${repoPath}`]) ?? undefined;
    },

    /** One file's bytes as of `sha`, or null when it is not a file there (missing, or a folder). */
    blob(sha: string, repoPath: string): Buffer | null {
      try {
        return execFileSync("git", ["cat-file", "blob", `${sha}:${repoPath}`], {
          cwd: dir,
          stdio: ["ignore", "pipe", "ignore"],
          maxBuffer: 64 << 20,
        });
      } catch {
        return null;
      }
    },

    /** Every file path in the commit's tree. */
    files(sha: string): string[] {
      return (git(["ls-tree", "-r", "--name-only", sha]) ?? "").split("\n").filter(Boolean);
    },

    /** Branches whose tip has `sha` in its history, by name (`branch_names_contains`). */
    branchesContaining(sha: string): string[] {
      if (sha.startsWith("-")) return [];
      return (git(["branch", "--format=%(refname:short)", "--contains", sha]) ?? "")
        .split("\n")
        .filter(Boolean);
    },

    /** Paths the commit changed against its first parent (all of them for a root commit). */
    changedPaths(sha: string): string[] {
      return (git(["diff-tree", "--no-commit-id", "--name-only", "-r", "--root", sha]) ?? "")
        .split("\n")
        .filter(Boolean);
    },
  };
}

export type GitSource = ReturnType<typeof createGitSource>;
