import { describe, expect, it } from "vitest";
import { createMemoryReader, formatProblem } from "./lint-ci-config.js";
import { loadCiConfig } from "./load-ci-config.js";

// https://docs.gitlab.com/ci/yaml/#cache — key, key:files (at most two), key:prefix, paths, untracked,
// policy, when and fallback_keys; `default:cache` is inherited, `cache: []` turns it off.
function load(yaml: string) {
  return loadCiConfig({ readFile: createMemoryReader({ ".gitlab-ci.yml": yaml }) });
}

describe("cache:", () => {
  it("reads every cache keyword, with GitLab's defaults for those left out", () => {
    const result = load(
      "a:\n  script: x\n  cache:\n    - key: deps-$CI_COMMIT_REF_SLUG\n      paths: [node_modules]\n      fallback_keys: [deps-main]\n    - key: { files: [package.json], prefix: p }\n      untracked: true\n      policy: pull\n      when: always\n",
    );
    expect(result.config?.jobs[0]?.cache).toEqual([
      {
        key: "deps-$CI_COMMIT_REF_SLUG",
        paths: ["node_modules"],
        untracked: false,
        policy: "pull-push",
        when: "on_success",
        fallbackKeys: ["deps-main"],
      },
      {
        key: { files: ["package.json"], prefix: "p" },
        paths: [],
        untracked: true,
        policy: "pull",
        when: "always",
        fallbackKeys: [],
      },
    ]);
  });

  it("gives jobs default:cache unless they set their own or an empty list", () => {
    const result = load("default:\n  cache: { paths: [v] }\na:\n  script: x\nb:\n  script: x\n  cache: []\n");
    expect(result.config?.jobs.map((j) => j.cache.length)).toEqual([1, 0]);
    expect(result.config?.jobs[0]?.cache[0]?.key).toBe("default");
  });

  it("rejects paths that are not a list and key:files with more than two files", () => {
    const result = load(
      "a:\n  script: x\n  cache: { paths: v }\nb:\n  script: x\n  cache: { key: { files: [a, b, c] } }\n",
    );
    expect(result.config).toBeNull();
    expect(result.problems.map(formatProblem)).toEqual([
      ".gitlab-ci.yml:3:12: jobs:a:cache:paths config should be an array of strings",
      ".gitlab-ci.yml:6:19: jobs:b:cache:key:files config has too many items (maximum is 2)",
    ]);
  });

  // `cache:unprotect` is a Boolean entry (lib/gitlab/ci/config/entry/cache.rb).
  it("reads unprotect: true, and rejects an unprotect that is not a boolean", () => {
    expect(
      load("a:\n  script: x\n  cache: { paths: [v], unprotect: true }\n").config?.jobs[0]?.cache,
    ).toEqual([expect.objectContaining({ paths: ["v"], unprotect: true })]);
    expect(load("a:\n  script: x\n  cache: { unprotect: yes please }\n").problems.map(formatProblem)).toEqual(
      [".gitlab-ci.yml:3:12: jobs:a:cache:unprotect config should be a boolean value"],
    );
  });

  it("rejects a policy GitLab does not know", () => {
    const result = load("a:\n  script: x\n  cache: { policy: sometimes }\n");
    expect(result.problems.map(formatProblem)).toEqual([
      ".gitlab-ci.yml:3:12: jobs:a:cache:policy config should be one of pull-push, push or pull",
    ]);
  });
});
