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
      { key: "DESCRIBED", value: "false" },
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
      "cache key files with more than two files",
      "job:\n  script: x\n  cache:\n    key:\n      files: [a.lock, b.lock, c.lock]\n    paths: [vendor/]\n",
      [".gitlab-ci.yml:5:7: jobs:job:cache:key:files config has too many items (maximum is 2)"],
    ],
    [
      "a default cache that is not a hash",
      "default:\n  cache: vendor\njob: {script: x}\n",
      [".gitlab-ci.yml:2:3: default:cache config should be a hash or an array of hashes"],
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
