import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { loadCiConfig } from "./load-ci-config.js";
import { createDirectoryReader } from "./load-includes.js";

let repo: string;

beforeEach(() => {
  repo = mkdtempSync(path.join(tmpdir(), "ci-config-"));
});

afterEach(() => {
  rmSync(repo, { recursive: true, force: true });
});

const write = (file: string, content: string): void => {
  mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  writeFileSync(path.join(repo, file), content);
};

it("reads include:local files from the repository root in every accepted form", () => {
  write(".gitlab-ci.yml", "include:\n  - /ci/a.yml\n  - local: ci/b.yml\nmain: { script: m }\n");
  write("ci/a.yml", "include: ci/nested/c.yml\na: { script: a }\n");
  write("ci/b.yml", "b: { script: b, stage: build }\n");
  write("ci/nested/c.yml", "c: { script: c, stage: deploy }\n");
  const result = loadCiConfig({ readFile: createDirectoryReader(repo) });
  expect(result.problems).toEqual([]);
  expect(result.config?.jobs.map((j) => j.name)).toEqual(["c", "a", "b", "main"]);
});

it("lets the including file override keys of included jobs", () => {
  write(".gitlab-ci.yml", "include: shared.yml\ntest: { stage: build }\n");
  write("shared.yml", "test: { script: [make test], stage: test }\n");
  const result = loadCiConfig({ readFile: createDirectoryReader(repo) });
  expect(result.config?.jobs.map((j) => [j.name, j.stage, j.script])).toEqual([
    ["test", "build", ["make test"]],
  ]);
});

it("never reads outside the repository", () => {
  write(".gitlab-ci.yml", "include: ../../etc/passwd.yml\na: { script: a }\n");
  const result = loadCiConfig({ readFile: createDirectoryReader(repo) });
  expect(result.problems.map((p) => p.message)).toEqual([
    "Local file `../../etc/passwd.yml` does not exist!",
  ]);
});

it("reports a missing entry file", () => {
  const result = loadCiConfig({ readFile: createDirectoryReader(repo) });
  expect(result.problems).toEqual([
    { file: ".gitlab-ci.yml", line: 1, col: 1, message: "Local file `.gitlab-ci.yml` does not exist!" },
  ]);
});
