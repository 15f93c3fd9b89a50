import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { globToRegExp, selectArtifactFiles } from "./match-artifact-paths.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "buildsim-glob-"));
  for (const file of [
    "a.txt",
    "b.log",
    "dist/x.js",
    "dist/x.js.map",
    "dist/deep/y.js",
    "docs/readme.md",
    "docs/tmp/t.md",
  ]) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), file);
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("artifact path globs", () => {
  it.each([
    ["*.txt", "a.txt", true],
    ["*.txt", "dist/a.txt", false],
    ["**/*.js", "x.js", true],
    ["**/*.js", "dist/deep/y.js", true],
    ["dist/**", "dist/deep/y.js", true],
    ["./dist/", "dist", true],
    ["file?.log", "file1.log", true],
    ["file?.log", "file/.log", false],
    ["*.{js,map}", "x.map", true],
    ["*.{js,map}", "x.css", false],
    ["a+b.txt", "a+b.txt", true],
    ["a+b.txt", "aab.txt", false],
  ])("%s matches %s: %s", (glob, file, expected) => {
    expect(globToRegExp(glob).test(file)).toBe(expected);
  });

  it("selects whole directories, single files and globs, then drops what exclude matches", async () => {
    const selection = await selectArtifactFiles(
      dir,
      ["dist/", "*.txt", "docs", "nothing/"],
      ["**/*.map", "docs/tmp"],
    );
    expect(selection.files).toEqual(["a.txt", "dist/deep/y.js", "dist/x.js", "docs/readme.md"]);
    expect(selection.patterns).toEqual([
      { pattern: "dist/", fileCount: 2 },
      { pattern: "*.txt", fileCount: 1 },
      { pattern: "docs", fileCount: 1 },
      { pattern: "nothing/", fileCount: 0 },
    ]);
  });
});
