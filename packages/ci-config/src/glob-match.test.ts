import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { matchesGlob } from "./glob-match.js";
import { createChangesCheck, createExistsCheck } from "./repo-file-checks.js";

describe("GitLab's glob matching", () => {
  it.each([
    ["Dockerfile", "Dockerfile", true],
    ["Dockerfile", "docker/Dockerfile", false],
    ["*.md", "README.md", true],
    ["*.md", "docs/README.md", false],
    ["docs/*", "docs/a.md", true],
    ["docs/*", "docs/sub/a.md", false],
    ["docs/**/*", "docs/sub/deep/a.md", true],
    ["docs/**/*.md", "docs/a.md", true],
    ["**/*.rb", "app/models/user.rb", true],
    ["**/*.rb", "user.rb", true],
    ["src/**", "src/a/b.ts", false],
    ["src/**", "src/a.ts", true],
    ["*.{js,ts}", "index.ts", true],
    ["*.{js,ts}", "index.rs", false],
    ["file?.txt", "file1.txt", true],
    ["file[0-9].txt", "file7.txt", true],
    ["file[!0-9].txt", "file7.txt", false],
    ["*", ".env", true],
    ["/Dockerfile", "Dockerfile", true],
    ["a.b", "axb", false],
  ])("%s matches %s: %s", (glob, file, expected) => {
    expect(matchesGlob(glob, file)).toBe(expected);
  });
});

describe("repository callbacks", () => {
  it("answers exists from the files of a checkout, ignoring .git", () => {
    const root = mkdtempSync(path.join(tmpdir(), "ci-exists-"));
    try {
      mkdirSync(path.join(root, "deploy/k8s"), { recursive: true });
      mkdirSync(path.join(root, ".git"), { recursive: true });
      writeFileSync(path.join(root, "deploy/k8s/app.yaml"), "");
      writeFileSync(path.join(root, ".git/HEAD"), "");
      const exists = createExistsCheck(root);
      expect(exists(["deploy/**/*.yaml"])).toBe(true);
      expect(exists(["Dockerfile", "*.yaml"])).toBe(false);
      expect(exists([".git/HEAD"])).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("answers changes from changed paths, and true when there is nothing to compare", () => {
    expect(createChangesCheck(["src/a.ts"])(["src/*.ts"])).toBe(true);
    expect(createChangesCheck(["src/a.ts"])(["docs/**/*"])).toBe(false);
    expect(createChangesCheck(null)(["docs/**/*"])).toBe(true);
  });
});
