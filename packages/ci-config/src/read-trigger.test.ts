// `trigger:` jobs (bridges): every form GitLab accepts, its keyword rules and lint wording, and planning.
// https://docs.gitlab.com/ci/yaml/#trigger and lib/gitlab/ci/config/entry/{bridge,trigger}.rb

import { describe, expect, it } from "vitest";
import { createMemoryReader, formatProblem, lintCiConfig } from "./lint-ci-config.js";
import { loadCiConfig } from "./load-ci-config.js";
import { job, jobsOf } from "./test-support/plan-yaml.js";

const lint = (yaml: string): string[] =>
  lintCiConfig({ readFile: createMemoryReader({ ".gitlab-ci.yml": yaml }) }).problems.map(formatProblem);

describe("trigger: is accepted in every form GitLab documents", () => {
  it.each([
    ["a project path", "trigger: my-group/my-project"],
    ["a child from a local path", "trigger:\n    include: path/child.yml"],
    [
      "a child from a list of entries",
      "trigger:\n    include:\n      - local: a.yml\n      - template: T.gitlab-ci.yml",
    ],
    [
      "a generated child from an artifact",
      "trigger:\n    include:\n      - artifact: generated.yml\n        job: generate\n    strategy: depend",
    ],
    [
      "a child from another project",
      "trigger:\n    include:\n      - project: g/p\n        ref: main\n        file: ci/child.yml",
    ],
    [
      "a child from a component with inputs",
      "trigger:\n    include:\n      - component: example.com/g/c/job@1.0\n        inputs: { stage: test }",
    ],
    ["a child from a remote file", "trigger:\n    include: https://example.com/child.yml"],
    [
      "a local child with inputs",
      "trigger:\n    include:\n      - local: child.yml\n        inputs: { name: x }",
    ],
    [
      "a project with branch and depend",
      "trigger:\n    project: g/p\n    branch: stable\n    strategy: depend",
    ],
    // GitLab 18.2+: `inclusion: { in: %w[depend mirror] }` in Entry::Trigger.
    ["a project with mirror", "trigger:\n    project: g/p\n    strategy: mirror"],
    ["a child with mirror", "trigger:\n    include: child.yml\n    strategy: mirror"],
    [
      "a child from three files, GitLab's maximum",
      "trigger:\n    include: [a.yml, b.yml, { local: c.yml }]\n    strategy: depend",
    ],
    ["a project with inputs", "trigger:\n    project: g/p\n    inputs: { env: prod }"],
    [
      "forward settings",
      "trigger:\n    include: c.yml\n    forward: { yaml_variables: false, pipeline_variables: true }",
    ],
  ])("%s", (_name, trigger) => {
    expect(lint(`generate: { stage: build, script: x }\nbridge:\n  stage: test\n  ${trigger}\n`)).toEqual([]);
  });

  it("accepts the processable keywords GitLab allows beside trigger", () => {
    expect(
      lint(`.base: { variables: { A: "1" } }
build: { stage: build, script: x }
bridge:
  extends: .base
  stage: deploy
  needs: [build]
  rules: [{ if: $CI_COMMIT_BRANCH }]
  variables: { B: "2" }
  when: manual
  allow_failure: true
  inherit: { variables: false }
  resource_group: prod
  environment: production
  trigger: g/p
`),
    ).toEqual([]);
  });
});

describe("trigger: is refused with GitLab's lint wording", () => {
  it.each([
    // Entry::Jobs tries Entry::Job first: a hash with script is a job, and trigger is not a job keyword.
    [
      "script beside trigger",
      "x:\n  script: echo\n  trigger: g/p\n",
      ".gitlab-ci.yml:3:3: jobs:x config contains unknown keys: trigger",
    ],
    [
      "a job keyword on a trigger job",
      "x:\n  trigger: g/p\n  image: ruby\n",
      ".gitlab-ci.yml:3:3: jobs:x config contains unknown keys: image",
    ],
    [
      "delayed",
      "x:\n  trigger: g/p\n  when: delayed\n",
      ".gitlab-ci.yml:3:3: jobs:x when should be one of: on_success, on_failure, always, manual",
    ],
    [
      "allow_failure exit codes",
      "x:\n  trigger: g/p\n  allow_failure: { exit_codes: 1 }\n",
      ".gitlab-ci.yml:3:3: jobs:x allow failure should be a boolean value",
    ],
    [
      "neither project nor include",
      "x:\n  trigger: { strategy: depend }\n",
      ".gitlab-ci.yml:2:3: jobs:x:trigger config must specify either project or include",
    ],
    [
      "a list",
      "x:\n  trigger: [a]\n",
      ".gitlab-ci.yml:2:3: jobs:x:trigger has to be either a string or a hash",
    ],
    [
      "another strategy",
      "x:\n  trigger: { project: g/p, strategy: wait }\n",
      ".gitlab-ci.yml:2:28: jobs:x:trigger strategy should be depend or mirror",
    ],
    [
      "another strategy on a child",
      "x:\n  trigger: { include: c.yml, strategy: wait }\n",
      ".gitlab-ci.yml:2:30: jobs:x:trigger strategy should be depend or mirror",
    ],
    // SameProjectTrigger::INCLUDE_MAX_SIZE = 3, checked by Entry::Includes before its entries
    // (spec/services/ci/create_pipeline_service/parent_child_pipeline_spec.rb: /trigger:include config is too long/).
    [
      "four child includes",
      "x:\n  trigger:\n    include:\n      - a.yml\n      - b.yml\n      - c.yml\n      - { artifact: d.yml }\n",
      ".gitlab-ci.yml:3:5: jobs:x:trigger:include config is too long (maximum is 3)",
    ],
    [
      "project beside include",
      "x:\n  trigger: { include: c.yml, project: g/p }\n",
      ".gitlab-ci.yml:2:30: jobs:x:trigger config contains unknown keys: project",
    ],
    [
      "an unknown forward key",
      "x:\n  trigger: { project: g/p, forward: { all: true } }\n",
      ".gitlab-ci.yml:2:39: jobs:x:trigger:forward config contains unknown keys: all",
    ],
    [
      "an artifact include without job",
      "x:\n  trigger: { include: [{ artifact: a.yml }] }\n",
      ".gitlab-ci.yml:2:24: jobs:x:trigger:include config must specify the job where to fetch the artifact from",
    ],
  ])("%s", (_name, yaml, expected) => {
    expect(lint(yaml)).toEqual([expected]);
  });
});

describe("trigger jobs are planned as bridges", () => {
  it("keeps the trigger, no script, and forward defaults (yaml true, pipeline false)", () => {
    const jobs = jobsOf("build: { stage: build, script: x }\nchild:\n  trigger:\n    include: child.yml\n");
    expect(job(jobs, "child").commands).toEqual([]);
    expect(job(jobs, "child").trigger).toEqual({
      include: ["child.yml"],
      project: null,
      branch: null,
      strategy: null,
      forwardYamlVariables: true,
      forwardPipelineVariables: false,
      inputs: null,
    });
  });

  // Ci::Bridge#downstream_project_path and #target_ref expand variables.
  it("expands variables in trigger:project and trigger:branch", () => {
    const jobs = jobsOf(
      'variables: { GROUP: tools }\nup:\n  variables: { BR: "$CI_COMMIT_REF_NAME-x" }\n  trigger: { project: "$GROUP/app", branch: $BR, strategy: depend }\n',
    );
    expect(job(jobs, "up").trigger).toMatchObject({
      project: "tools/app",
      branch: "main-x",
      strategy: "depend",
    });
  });

  it("keeps strategy: mirror for the server to follow the downstream pipeline with", () => {
    const jobs = jobsOf("up:\n  trigger: { include: [a.yml, b.yml, c.yml], strategy: mirror }\n");
    expect(job(jobs, "up").trigger).toMatchObject({
      include: ["a.yml", "b.yml", "c.yml"],
      strategy: "mirror",
    });
  });

  it("does not give a trigger job the default: keywords", () => {
    const jobs = jobsOf("default: { image: ruby, before_script: [x], tags: [t] }\nup:\n  trigger: g/p\n");
    expect(job(jobs, "up")).toMatchObject({ image: null, beforeScript: [], tagList: [] });
  });

  it("keeps a trigger job's needs and the jobs after it", () => {
    const jobs = jobsOf(
      "stages: [a, b, c]\nbuild: { stage: a, script: x }\nup: { stage: b, needs: [build], trigger: g/p }\nafter: { stage: c, needs: [up], script: x }\n",
    );
    expect(job(jobs, "up").needs).toEqual(["build"]);
    expect(job(jobs, "after").needs).toEqual(["up"]);
  });
});

describe("include:artifact", () => {
  // https://docs.gitlab.com/ci/pipelines/downstream_pipelines/#dynamic-child-pipelines
  it("loads a child config from the parent's artifacts when the loader is given them", () => {
    const result = loadCiConfig({
      readFile: createMemoryReader({ child: "include: [{ artifact: gen.yml, job: generate }]\n" }),
      entryFile: "child",
      artifact: (jobName, file) =>
        jobName === "generate" && file === "gen.yml"
          ? { ok: true, content: "t: { script: echo generated }\n" }
          : { ok: false, message: "missing" },
    });
    expect(result.problems).toEqual([]);
    expect(result.config?.jobs.map((j) => j.name)).toEqual(["t"]);
  });

  it("is refused in a pipeline that is not a child", () => {
    expect(lint("include: [{ artifact: gen.yml, job: generate }]\nt: { script: x }\n")).toEqual([
      '.gitlab-ci.yml:1:11: `{"artifact":"gen.yml","job":"generate"}`: include:artifact is only valid in a trigger:include of a child pipeline',
    ]);
  });
});
