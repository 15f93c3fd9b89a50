// Maps a local git work tree to what a GitLab project and pipeline need: commit, ref, author, paths.

import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { Commit } from "@buildsim/core";
import { COMMIT_LOG_ARGS, parseCommitLog } from "@buildsim/server";

/** Runs git in a directory and returns stdout; injectable for tests. */
export type GitRunner = (cwd: string, args: string[]) => Promise<string>;

const execFileAsync = promisify(execFile);
export const runGit: GitRunner = async (cwd, args) => (await execFileAsync("git", args, { cwd })).stdout;

export interface GitProject {
  /** The work tree's top level: the project's sources. */
  root: string;
  /** `local/<directory name>`: the project's path in the API. */
  pathWithNamespace: string;
  name: string;
  ref: string;
  tag: boolean;
  /** The commit the pipeline runs for (its `projectId` is filled in once the project exists). */
  commit: Commit;
  /** False outside a git repository or before its first commit: the directory runs as a snapshot. */
  isGit: boolean;
  /** Why the directory runs as a snapshot (`is not in a git repository`, `has no commit yet`). */
  snapshotReason?: string;
  /** The project's default branch (`CI_DEFAULT_BRANCH`): never the ref being run, see {@link readDefaultBranch}. */
  defaultBranch: string;
}

const ZERO_SHA = "0".repeat(40);

/** Reads HEAD of the repository containing `dir`; a plain directory becomes a one-commit snapshot. */
export async function readGitProject(
  dir: string,
  options: { ref?: string; git?: GitRunner; now?: () => Date } = {},
): Promise<GitProject> {
  const git = options.git ?? runGit;
  const name = (root: string) => path.basename(root).replace(/[^A-Za-z0-9_.-]/g, "-") || "project";
  const snapshot = (root: string, ref: string, why: string): GitProject => {
    const at = (options.now?.() ?? new Date()).toISOString();
    return {
      root,
      pathWithNamespace: `local/${name(root)}`,
      name: name(root),
      ref: options.ref ?? ref,
      tag: false,
      commit: {
        projectId: 0,
        sha: ZERO_SHA,
        message: "Local working tree (not a git repository)",
        authorName: "buildsim",
        authorEmail: "buildsim@localhost",
        authoredDate: at,
        committerName: "buildsim",
        committerEmail: "buildsim@localhost",
        committedDate: at,
        parentIds: [],
      },
      isGit: false,
      snapshotReason: why,
      defaultBranch: ref,
    };
  };
  let root: string;
  try {
    root = (await git(dir, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    return snapshot(path.resolve(dir), "main", "is not in a git repository");
  }
  // A repository without a commit yet (`git init`, nothing committed) has no HEAD to read: its work
  // tree runs as a snapshot on the branch its first commit will create.
  const born = await git(root, ["rev-parse", "--verify", "--quiet", "HEAD"]).then(
    () => true,
    () => false,
  );
  if (!born && !options.ref) return snapshot(root, await readDefaultBranch(git, root), "has no commit yet");
  const rev = options.ref ?? "HEAD";
  // The commit and the ref name are independent questions: ask git both at once.
  const [log, { ref, tag }, defaultBranch] = await Promise.all([
    git(root, [...COMMIT_LOG_ARGS, rev, "--"]),
    resolveRef(git, root, options.ref),
    readDefaultBranch(git, root),
  ]);
  return {
    root,
    pathWithNamespace: `local/${name(root)}`,
    name: name(root),
    ref,
    tag,
    commit: parseCommitLog(0, log),
    isGit: true,
    defaultBranch,
  };
}

/**
 * The branch a GitLab project made from this repository would have as default: the remote's
 * (`origin/HEAD`), else the checked-out branch, else git's `init.defaultBranch`, else `main`.
 */
export async function readDefaultBranch(git: GitRunner, root: string): Promise<string> {
  const quiet = (args: string[]) =>
    git(root, args).then(
      (out) => out.trim(),
      () => "",
    );
  const remote = await quiet(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]);
  if (remote.startsWith("origin/")) return remote.slice("origin/".length);
  const head = await quiet(["symbolic-ref", "--quiet", "--short", "HEAD"]);
  if (head) return head;
  return (await quiet(["config", "--get", "init.defaultBranch"])) || "main";
}

async function resolveRef(
  git: GitRunner,
  root: string,
  requested?: string,
): Promise<{ ref: string; tag: boolean }> {
  if (requested) {
    const isTag = await git(root, ["show-ref", "--verify", "--quiet", `refs/tags/${requested}`]).then(
      () => true,
      () => false,
    );
    return { ref: requested, tag: isTag };
  }
  const branch = (await git(root, ["rev-parse", "--abbrev-ref", "HEAD"]).catch(() => "HEAD")).trim();
  if (branch !== "HEAD") return { ref: branch, tag: false };
  // Detached HEAD: a tag pointing here names the ref, as GitLab would for a tag pipeline.
  const tagName = (await git(root, ["describe", "--tags", "--exact-match"]).catch(() => "")).trim();
  if (tagName) return { ref: tagName, tag: true };
  return { ref: (await git(root, ["rev-parse", "HEAD"])).trim(), tag: false };
}
