import { describe, expect, it } from "vitest";
import { createMemoryReader, formatProblem, lintCiSources } from "./lint-ci-config.js";
import { loadCiConfig } from "./load-ci-config.js";

const lint = (yaml: string): string[] =>
  lintCiSources({ ".gitlab-ci.yml": yaml }).problems.map(formatProblem);

describe("values GitLab accepts", () => {
  it("turns boolean, number and null variable values into strings", () => {
    // https://docs.gitlab.com/ci/yaml/#variables — GitLab stores every value as a string.
    const { config, problems } = loadCiConfig({
      readFile: createMemoryReader({
        ".gitlab-ci.yml":
          "variables:\n  FF_TIMESTAMPS: true\n  RETRIES: 3\n  EMPTY: null\n  DESCRIBED: {value: false, description: d}\njob: {script: x}\n",
      }),
    });
    expect(problems).toEqual([]);
    expect(config?.variables).toEqual([
      { key: "FF_TIMESTAMPS", value: "true" },
      { key: "RETRIES", value: "3" },
      { key: "EMPTY", value: "" },
      { key: "DESCRIBED", value: "false", description: "d" },
    ]);
  });

  it("accepts every failure reason of GitLab's Ci::Build in retry:when", () => {
    // GitLab's retry entry accepts each key of Ci::Build.failure_reasons (runner_interrupted included).
    expect(
      lint(
        "job:\n  script: x\n  retry:\n    max: 2\n    when: [runner_interrupted, stale_schedule, job_router_failure, runner_system_failure]\n",
      ),
    ).toEqual([]);
    expect(lint("job:\n  script: x\n  retry: {max: 1, when: coffee_break}\n")).toEqual([
      ".gitlab-ci.yml:3:19: jobs:job:retry when contains unknown values: coffee_break",
    ]);
  });

  it("accepts a run: job and says it is left out locally", () => {
    const result = lintCiSources({
      ".gitlab-ci.yml": "steps:\n  run: [{name: a, script: x}]\nb: {script: y}\n",
    });
    expect(result.problems).toEqual([]);
    expect(result.warnings.map(formatProblem)).toEqual([
      ".gitlab-ci.yml:1:1: jobs:steps uses run: (CI/CD steps), which are not run locally; the job is left out",
    ]);
  });
});

describe("files GitLab rejects", () => {
  // GitLab's CI Lint refuses these: https://docs.gitlab.com/ci/yaml/
  it.each([
    ["an empty script", "job:\n  script: []\n", [".gitlab-ci.yml:2:3: jobs:job script can't be blank"]],
    [
      "empty rules",
      "job:\n  script: x\n  rules: []\n",
      [".gitlab-ci.yml:3:3: jobs:job:rules config can't be blank"],
    ],
    [
      "cache paths that are not an array",
      "job:\n  script: x\n  cache:\n    paths: vendor/\n",
      [".gitlab-ci.yml:4:5: jobs:job:cache:paths config should be an array of strings"],
    ],
    [
      "more than four caches",
      "job:\n  script: x\n  cache: [{paths: [a]}, {paths: [b]}, {paths: [c]}, {paths: [d]}, {paths: [e]}]\n",
      // Entry::Caches::MULTIPLE_CACHE_LIMIT (lib/gitlab/ci/config/entry/caches.rb).
      [".gitlab-ci.yml:3:3: jobs:job:cache config no more than 4 caches can be created"],
    ],
    [
      "needs:parallel that is a number, a hash without matrix, or a string",
      "a: {stage: build, script: x, parallel: {matrix: [{X: [1, 2]}]}}\n" +
        "b:\n  script: x\n  needs:\n    - {job: a, parallel: 2}\n" +
        "c:\n  script: x\n  needs:\n    - {job: a, parallel: {other: 1}}\n" +
        "d:\n  script: x\n  needs:\n    - {job: a, parallel: two}\n",
      // Entry::Product::Parallel (lib/gitlab/ci/config/entry/product/parallel.rb); needs allow matrix only.
      [
        '.gitlab-ci.yml:5:16: jobs:b:needs:need:parallel config cannot use "parallel: <number>".',
        ".gitlab-ci.yml:9:16: jobs:c:needs:need:parallel config contains unknown keys: other",
        ".gitlab-ci.yml:9:16: jobs:c:needs:need:parallel config missing required keys: matrix",
        ".gitlab-ci.yml:13:16: jobs:d:needs:need:parallel should be an integer or a hash",
      ],
    ],
    [
      "cache key files with more than two files",
      "job:\n  script: x\n  cache:\n    key:\n      files: [a.lock, b.lock, c.lock]\n    paths: [vendor/]\n",
      [".gitlab-ci.yml:5:7: jobs:job:cache:key:files config has too many items (maximum is 2)"],
    ],
    [
      "a default cache that is not a hash",
      "default:\n  cache: vendor\njob: {script: x}\n",
      // Entry::Caches (lib/gitlab/ci/config/entry/caches.rb).
      [".gitlab-ci.yml:2:3: default:cache config can only be a Hash or an Array"],
    ],
    [
      "a job without script, run or trigger",
      "job:\n  stage: test\n",
      [".gitlab-ci.yml:1:1: jobs job config should implement the script:, run:, or trigger: keyword"],
    ],
    [
      "only hidden jobs",
      ".hidden: {script: x}\n",
      [".gitlab-ci.yml:1:1: jobs config should contain at least one visible job"],
    ],
  ] as [string, string, string[]][])("refuses %s with GitLab's message", (_name, yaml, expected) => {
    expect(lint(yaml)).toEqual(expected);
  });
});
