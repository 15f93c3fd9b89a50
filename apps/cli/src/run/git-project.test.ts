import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readGitProject } from "./git-project.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "buildsim-git-"));
  dirs.push(dir);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "feature/x");
  writeFileSync(path.join(dir, "a.txt"), "a");
  git("add", "a.txt");
  const env = {
    GIT_AUTHOR_DATE: "2015-12-24T16:51:14+01:00",
    GIT_COMMITTER_DATE: "2015-12-24T16:51:14+01:00",
  };
  execFileSync(
    "git",
    ["-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "-m", "Add a\n\nbody"],
    {
      cwd: dir,
      env: { ...process.env, ...env },
    },
  );
  return dir;
}

describe("reading a git work tree as a project", () => {
  it("takes commit, branch and author from HEAD, dates in the commit's own timezone", async () => {
    const dir = repo();
    const p = await readGitProject(dir);
    expect(p).toMatchObject({
      isGit: true,
      ref: "feature/x",
      tag: false,
      pathWithNamespace: `local/${path.basename(dir)}`,
      commit: {
        authorName: "Ada",
        authorEmail: "ada@example.com",
        authoredDate: "2015-12-24T16:51:14.000+01:00",
        message: "Add a\n\nbody\n",
        parentIds: [],
      },
    });
    expect(p.commit.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it("names a tag pipeline when asked for a tag ref", async () => {
    const dir = repo();
    execFileSync("git", ["tag", "v1.0"], { cwd: dir });
    expect(await readGitProject(dir, { ref: "v1.0" })).toMatchObject({ ref: "v1.0", tag: true });
  });

  it("runs a plain directory as an uncommitted snapshot", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "buildsim-plain-"));
    dirs.push(dir);
    const p = await readGitProject(dir, { now: () => new Date("2026-01-01T00:00:00.000Z") });
    expect(p).toMatchObject({
      isGit: false,
      ref: "main",
      commit: { sha: "0".repeat(40), authoredDate: "2026-01-01T00:00:00.000Z" },
    });
  });

  // A fresh `git init` has an unborn HEAD: `git log HEAD` fails, so the work tree runs as a snapshot
  // on the branch the first commit will create, instead of failing with git's own error.
  it("runs a repository without any commit as a snapshot of its work tree on the unborn branch", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "buildsim-unborn-"));
    dirs.push(dir);
    execFileSync("git", ["init", "-q", "-b", "trunk"], { cwd: dir });
    const p = await readGitProject(dir);
    expect(p).toMatchObject({
      isGit: false,
      snapshotReason: "has no commit yet",
      ref: "trunk",
      defaultBranch: "trunk",
      commit: { sha: "0".repeat(40) },
    });
  });
});
