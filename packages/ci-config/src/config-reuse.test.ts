import { describe, expect, it } from "vitest";
import { planPipeline } from "./plan-pipeline.js";
import { configFrom, context, job, jobsOf, names, variable } from "./test-support/plan-yaml.js";

describe("config reuse", () => {
  it("merges multi-level extends: hashes deep, arrays and scalars replaced", () => {
    const [only] = jobsOf(`
.base:
  image: ruby
  variables: { A: base, B: base }
  script: [base]
  tags: [one, two]
.middle:
  extends: .base
  variables: { B: middle }
  tags: [three]
.other:
  retry: 2
job:
  extends: [.middle, .other]
  variables: { C: job }
`);
    expect(only!.image).toEqual({ name: "ruby" });
    expect(only!.commands).toEqual(["base"]);
    expect(only!.tagList).toEqual(["three"]);
    expect(only!.retryMax).toBe(2);
    expect([variable(only!, "A"), variable(only!, "B"), variable(only!, "C")]).toEqual([
      "base",
      "middle",
      "job",
    ]);
  });

  it("resolves anchors, aliases and merge keys with explicit keys winning", () => {
    const jobs = jobsOf(
      `
.defaults: &defaults
  script: [shared]
  stage: build
.tags: &tags
  tags: [docker]
  stage: deploy
a:
  <<: [*defaults, *tags]
b:
  <<: *defaults
  stage: test
  script: *anchor_script_missing_is_not_used
`.replace("*anchor_script_missing_is_not_used", "[own]"),
    );
    expect([job(jobs, "a").stage, job(jobs, "a").commands, job(jobs, "a").tagList]).toEqual([
      "build",
      ["shared"],
      ["docker"],
    ]);
    expect([job(jobs, "b").stage, job(jobs, "b").commands]).toEqual(["test", ["own"]]);
  });

  it("resolves !reference into scripts, variables and rules, after extends", () => {
    const jobs = jobsOf(`
.setup:
  script: [install]
  variables: { X: "1" }
  rules: [{ if: $CI_COMMIT_BRANCH }]
.child:
  extends: .setup
  after_script: [bye]
job:
  script:
    - !reference [.setup, script]
    - run
  after_script: !reference [.child, after_script]
  variables:
    X: !reference [.setup, variables, X]
  rules:
    - !reference [.setup, rules]
`);
    expect(job(jobs, "job").commands).toEqual(["install", "run"]);
    expect(job(jobs, "job").afterScript).toEqual(["bye"]);
    expect(variable(job(jobs, "job"), "X")).toBe("1");
    expect(
      names(
        jobsOf(
          "job: { script: x, rules: [!reference [.r, rules]] }\n.r: { rules: [{ if: $NO }] }\nother: { script: y }\n",
        ),
      ),
    ).toEqual(["other"]);
  });

  it("merges include:local files under the including file", () => {
    const config = configFrom(
      `
include:
  - local: /ci/build.yml
  - ci/test.yml
stages: [build, test]
build: { variables: { WHERE: main } }
`,
      {
        "ci/build.yml":
          "build:\n  stage: build\n  script: [make]\n  variables: { WHERE: include, KEEP: kept }\ninclude: { local: ci/common.yml }\n",
        "ci/test.yml": "test: { script: [make test] }\n",
        "ci/common.yml": "variables: { COMMON: '1' }\n",
      },
    );
    const result = planPipeline(config, context());
    expect(result.created && names(result.jobs)).toEqual(["build", "test"]);
    const build = result.created ? result.jobs[0]! : null;
    expect([variable(build!, "WHERE"), variable(build!, "KEEP"), variable(build!, "COMMON")]).toEqual([
      "main",
      "kept",
      "1",
    ]);
    expect(build!.commands).toEqual(["make"]);
  });

  it("leaves hidden jobs out of the pipeline", () => {
    expect(names(jobsOf(".hidden: { script: x }\nvisible: { script: y }\n"))).toEqual(["visible"]);
  });
});

describe("YAML as Psych reads it", () => {
  it("reads YAML 1.1 scalars: octal and sexagesimal numbers, y and n as strings", () => {
    const [only] = jobsOf("job:\n  script: x\n  variables: { OCT: 010, SEX: 1:30, Y: y, N: n, Q: 'yes' }\n");
    expect(["OCT", "SEX", "Y", "N", "Q"].map((k) => variable(only!, k))).toEqual([
      "8",
      "90",
      "y",
      "n",
      "yes",
    ]);
  });

  it("skips a spec: header document and reads only the first content document", () => {
    const header = jobsOf(
      "spec:\n  inputs:\n    env: { default: dev }\n---\njob: { script: x }\n---\nother: { script: y }\n",
    );
    expect(names(header)).toEqual(["job"]);
    const plainTwo = jobsOf("job: { script: x }\n---\nother: { script: y }\n");
    expect(names(plainTwo)).toEqual(["job"]);
  });
});
