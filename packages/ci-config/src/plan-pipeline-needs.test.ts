// `needs:` as real files write it: nested lists from YAML aliases and `!reference`, matrix expressions,
// `artifacts: false` against `dependencies:`, and `needs:project` / `needs:pipeline`.

import { describe, expect, it } from "vitest";
import { createMemoryReader, formatProblem, lintCiConfig } from "./lint-ci-config.js";
import { job, jobsOf } from "./test-support/plan-yaml.js";

describe("needs", () => {
  // Entry::Needs composes `[@config].flatten`: nested lists are flattened.
  it("flattens a nested list that a YAML alias puts inside needs", () => {
    const jobs = jobsOf(`
.build_jobs: &build_jobs [a, b]
a: { stage: build, script: x }
b: { stage: build, script: x }
c: { stage: build, script: x }
test:
  script: x
  needs: [*build_jobs, c]
`);
    expect(job(jobs, "test").needs).toEqual(["a", "b", "c"]);
  });

  it("splices a !reference to another job's needs into needs", () => {
    const jobs = jobsOf(`
.common: { needs: [a, { job: b, artifacts: false }] }
a: { stage: build, script: x }
b: { stage: build, script: x }
test:
  script: x
  needs: [!reference [.common, needs], { job: c, optional: true }]
`);
    expect(job(jobs, "test").needs).toEqual(["a", "b"]);
    expect(job(jobs, "test").needsWithoutArtifacts).toEqual(["b"]);
  });

  // https://docs.gitlab.com/ci/yaml/matrix_expressions/ — 1:1 dependencies between matrix jobs.
  it("maps each matrix instance to its own counterpart with $[[ matrix.X ]]", () => {
    const jobs = jobsOf(`
build:
  stage: build
  script: x
  parallel: { matrix: [{ OS: [linux, windows], ARCH: [amd64, arm64] }] }
test:
  script: x
  parallel: { matrix: [{ OS: [linux, windows], ARCH: [amd64, arm64] }] }
  needs:
    - job: build
      parallel: { matrix: [{ OS: ['$[[ matrix.OS ]]'], ARCH: ['$[[ matrix.ARCH ]]'] }] }
`);
    expect(job(jobs, "test: [linux, arm64]").needs).toEqual(["build: [linux, arm64]"]);
    expect(job(jobs, "test: [windows, amd64]").needs).toEqual(["build: [windows, amd64]"]);
  });

  it("refuses a matrix expression naming an identifier the job's matrix lacks, once per job", () => {
    const problems = lintCiConfig({
      readFile: createMemoryReader({
        ".gitlab-ci.yml": `
build: { stage: build, script: x, parallel: { matrix: [{ OS: [a, b] }] } }
test:
  script: x
  parallel: { matrix: [{ OS: [a, b] }] }
  needs: [{ job: build, parallel: { matrix: [{ OS: ['$[[ matrix.ARCH ]]'] }] } }]
`,
      }),
    }).problems.map(formatProblem);
    expect(problems[0]).toBe(
      ".gitlab-ci.yml:3:1: jobs:test:needs:need:parallel:matrix $[[ matrix.ARCH ]] refers to 'ARCH', which the job's parallel:matrix does not define",
    );
    // One error, and no follow-on "undefined need" for the instances.
    expect(problems).toHaveLength(1);
  });

  it("does not expand CI/CD variables in needs:parallel:matrix values, as GitLab does not", () => {
    // Matrix expressions "cannot reference CI/CD variables or inputs"
    // (https://docs.gitlab.com/ci/yaml/matrix_expressions/); GitLab refuses `$VAR` there as an undefined
    // need (gitlab-org/gitlab#517508), so `$P` names the instance `build: [$P]`, which does not exist.
    const problems = lintCiConfig({
      readFile: createMemoryReader({
        ".gitlab-ci.yml": `
variables: { P: aws }
build: { stage: build, script: x, parallel: { matrix: [{ PROVIDER: [aws, gcp] }] } }
test:
  script: x
  needs: [{ job: build, parallel: { matrix: [{ PROVIDER: $P }] } }]
`,
      }),
    }).problems.map(formatProblem);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("undefined need: build: [$P]");
  });

  // Ci::BuildDependencies: `from_needs` keeps needs with artifacts, then `from_dependencies` narrows.
  it("downloads nothing from a need with artifacts: false even when dependencies lists it", () => {
    const jobs = jobsOf(`
a: { stage: build, script: x }
b: { stage: build, script: x }
test:
  script: x
  needs: [a, { job: b, artifacts: false }]
  dependencies: [a, b]
`);
    expect(job(jobs, "test").dependencies).toEqual(["a"]);
  });

  it("keeps needs:project and needs:pipeline apart from the pipeline's own needs, variables expanded", () => {
    const jobs = jobsOf(`
variables: { UPSTREAM: group/lib }
a: { stage: build, script: x }
test:
  script: x
  needs:
    - a
    - { project: $UPSTREAM, job: package, ref: main }
    - { pipeline: $PARENT_PIPELINE_ID, job: generate, artifacts: true }
  variables: { PARENT_PIPELINE_ID: "42" }
`);
    expect(job(jobs, "test").needs).toEqual(["a"]);
    expect(job(jobs, "test").crossDependencies).toEqual([
      { project: "group/lib", ref: "main", pipeline: null, job: "package", artifacts: true },
      { project: null, ref: null, pipeline: "42", job: "generate", artifacts: true },
    ]);
  });

  it("keeps stage order for a job whose only needs come from other pipelines", () => {
    const jobs = jobsOf(`
test:
  script: x
  needs: [{ project: group/lib, job: package, ref: main }]
`);
    expect(job(jobs, "test").needs).toBeNull();
  });
});
