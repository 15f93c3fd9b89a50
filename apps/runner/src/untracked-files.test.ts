import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { untrackedFiles, untrackedLine } from "./untracked-files.js";

// `untracked: true` takes the files that are not in the repository — `git ls-files -o`, so .gitignore does
// not hide them — minus `artifacts:exclude`; Runner logs "untracked: found N files" or
// "untracked: no files" (commands/helpers/file_archiver.go). https://docs.gitlab.com/ci/yaml/#artifactsuntracked
let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "buildsim-untracked-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("untracked files", () => {
  it("are the project's files that are not among the job's sources, minus the excluded ones", async () => {
    const source = path.join(root, "source");
    const project = path.join(root, "project");
    for (const dir of [source, project, path.join(project, "gen")]) await mkdir(dir, { recursive: true });
    await writeFile(path.join(source, "tracked.txt"), "source");
    await writeFile(path.join(source, ".gitignore"), "*.log\n");
    for (const file of ["tracked.txt", ".gitignore", "gen/made.txt", "build.log", "skip.tmp"])
      await writeFile(path.join(project, file), "x");
    expect(await untrackedFiles(project, { sourceDir: source }, ["*.tmp"])).toEqual([
      "build.log",
      "gen/made.txt",
    ]);
    expect(await untrackedFiles(project, { sourceDir: null })).toHaveLength(5);
  });

  it("are logged in Runner's words", () => {
    expect(untrackedLine(2)).toBe("untracked: found 2 files\n");
    expect(untrackedLine(0)).toBe("WARNING: untracked: no files\n");
  });
});
