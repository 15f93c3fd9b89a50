import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readChangedPaths } from "./changed-paths.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("changed paths of a local run", () => {
  it("lists what HEAD changed and what is not committed, relative to the project directory", () => {
    const repo = mkdtempSync(path.join(tmpdir(), "buildsim-changes-"));
    dirs.push(repo);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=a", "-c", "user.email=a@x", ...args], {
        cwd: repo,
        stdio: "pipe",
      });
    git("init", "-q");
    mkdirSync(path.join(repo, "app/src"), { recursive: true });
    writeFileSync(path.join(repo, "app/old.txt"), "1");
    git("add", ".");
    git("commit", "-qm", "one");
    writeFileSync(path.join(repo, "app/src/main.ts"), "2");
    writeFileSync(path.join(repo, "outside.txt"), "2");
    git("add", ".");
    git("commit", "-qm", "two");
    writeFileSync(path.join(repo, "app/new.md"), "3");
    expect(readChangedPaths(path.join(repo, "app"), true)).toEqual(["new.md", "src/main.ts"]);
  });

  it("has nothing to compare outside git", () => {
    expect(readChangedPaths("/nonexistent", false)).toBeNull();
  });
});
