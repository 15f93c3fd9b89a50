import { describe, expect, it } from "vitest";
import { job, jobsOf, names, plan, variable } from "./test-support/plan-yaml.js";

describe("stages and order", () => {
  it("orders jobs by stage, keeping file order within a stage, with GitLab's stage indexes", () => {
    const jobs = jobsOf(`
deploy: { stage: deploy, script: d }
unit: { script: u }
compile: { stage: build, script: c }
lint: { stage: test, script: l }
prepare: { stage: .pre, script: p }
cleanup: { stage: .post, script: x }
`);
    expect(names(jobs)).toEqual(["prepare", "compile", "unit", "lint", "deploy", "cleanup"]);
    expect(jobs.map((j) => [j.stage, j.stageIdx])).toEqual([
      [".pre", 0],
      ["build", 1],
      ["test", 2],
      ["test", 2],
      ["deploy", 3],
      [".post", 4],
    ]);
  });

  it("uses declared stages with .pre and .post around them", () => {
    const result = plan(`
stages: [lint, ship]
a: { stage: ship, script: s }
b: { stage: lint, script: l }
`);
    expect(result.created && result.jobs.map((j) => [j.name, j.stageIdx])).toEqual([
      ["b", 1],
      ["a", 2],
    ]);
    expect(result.created && result.stages).toEqual(["lint", "ship"]);
  });
});

describe("scripts and defaults", () => {
  it("flattens nested script arrays and applies default: keys the job does not set", () => {
    const [only] = jobsOf(`
default:
  before_script: [setup]
  after_script: cleanup
  image: node:20
  tags: [linux]
  timeout: 1h 30m
  retry: 1
  interruptible: true
job:
  script:
    - one
    - [two, [three]]
  tags: [docker]
`);
    expect(only!.commands).toEqual(["one", "two", "three"]);
    expect(only!.beforeScript).toEqual(["setup"]);
    expect(only!.afterScript).toEqual(["cleanup"]);
    expect(only!.image).toEqual({ name: "node:20" });
    expect(only!.tagList).toEqual(["docker"]);
    expect(only!.timeoutS).toBe(5400);
    expect(only!.retryMax).toBe(1);
    expect(only!.interruptible).toBe(true);
  });

  it("lets inherit:default: false drop every default and a list keep only some", () => {
    const jobs = jobsOf(`
default: { before_script: [setup], tags: [linux] }
none: { script: x, inherit: { default: false } }
some: { script: x, inherit: { default: [tags] } }
`);
    expect(job(jobs, "none").beforeScript).toEqual([]);
    expect(job(jobs, "none").tagList).toEqual([]);
    expect(job(jobs, "some").beforeScript).toEqual([]);
    expect(job(jobs, "some").tagList).toEqual(["linux"]);
  });

  it("treats deprecated root-level before_script as a default", () => {
    const [only] = jobsOf("before_script: [legacy]\njob: { script: x }\n");
    expect(only!.beforeScript).toEqual(["legacy"]);
  });

  it("falls back to the context's default timeout", () => {
    const [only] = jobsOf("job: { script: x }\n", { defaultTimeoutS: 600 });
    expect(only!.timeoutS).toBe(600);
  });
});

describe("when, allow_failure and retry", () => {
  it("makes manual jobs allowed to fail unless they say otherwise", () => {
    const jobs = jobsOf(`
manual: { script: x, when: manual }
strict: { script: x, when: manual, allow_failure: false }
always: { script: x, when: always }
`);
    expect([job(jobs, "manual").when, job(jobs, "manual").allowFailure]).toEqual(["manual", true]);
    expect([job(jobs, "strict").when, job(jobs, "strict").allowFailure]).toEqual(["manual", false]);
    expect([job(jobs, "always").when, job(jobs, "always").allowFailure]).toEqual(["always", false]);
  });

  it("keeps allow_failure exit codes as a number or a list", () => {
    const jobs = jobsOf(`
one: { script: x, allow_failure: { exit_codes: 137 } }
many: { script: x, allow_failure: { exit_codes: [1, 42] } }
`);
    expect([job(jobs, "one").allowFailure, job(jobs, "one").allowFailureExitCodes]).toEqual([true, [137]]);
    expect(job(jobs, "many").allowFailureExitCodes).toEqual([1, 42]);
  });

  it("reads delayed jobs' start_in in seconds", () => {
    const [only] = jobsOf("later: { script: x, when: delayed, start_in: 30 minutes }\n");
    expect([only!.when, only!.startInS]).toEqual(["delayed", 1800]);
  });

  it("reads retry as a number or as max and when", () => {
    const jobs = jobsOf(`
simple: { script: x, retry: 2 }
full: { script: x, retry: { max: 1, when: [runner_system_failure, stuck_or_timeout_failure] } }
single: { script: x, retry: { max: 2, when: script_failure } }
none: { script: x }
`);
    expect([job(jobs, "simple").retryMax, job(jobs, "simple").retryWhen]).toEqual([2, null]);
    expect([job(jobs, "full").retryMax, job(jobs, "full").retryWhen]).toEqual([
      1,
      ["runner_system_failure", "stuck_or_timeout_failure"],
    ]);
    expect(job(jobs, "single").retryWhen).toEqual(["script_failure"]);
    expect(job(jobs, "none").retryMax).toBe(0);
  });
});

describe("needs and dependencies", () => {
  it("keeps the DAG, needs: [] and needs without artifacts", () => {
    const jobs = jobsOf(`
a: { stage: build, script: x }
b: { stage: build, script: x, needs: [] }
c: { stage: test, script: x, needs: [a, { job: b, artifacts: false }] }
d: { stage: deploy, script: x, dependencies: [a] }
e: { stage: deploy, script: x }
`);
    expect(job(jobs, "a").needs).toBeNull();
    expect(job(jobs, "b").needs).toEqual([]);
    expect(job(jobs, "c").needs).toEqual(["a", "b"]);
    expect(job(jobs, "c").needsWithoutArtifacts).toEqual(["b"]);
    expect(job(jobs, "c").dependencies).toEqual(["a"]);
    expect(job(jobs, "d").dependencies).toEqual(["a"]);
    expect(job(jobs, "e").dependencies).toBeNull();
  });

  it("allows needs on a job of the same stage", () => {
    const jobs = jobsOf("a: { script: x }\nb: { script: x, needs: [a] }\n");
    expect(job(jobs, "b").needs).toEqual(["a"]);
  });

  it("fails pipeline creation when a needed job was left out by its rules", () => {
    const result = plan(`
build: { stage: build, script: x, rules: [{ if: '$NEVER' }] }
test: { stage: test, script: x, needs: [build] }
`);
    expect(result).toEqual({
      created: false,
      reason: "'test' job needs 'build' job, but 'build' is not in any previous stage",
    });
  });

  it("drops an optional need on a job that was left out", () => {
    const jobs = jobsOf(`
build: { stage: build, script: x, rules: [{ if: '$NEVER' }] }
test: { stage: test, script: x, needs: [{ job: build, optional: true }] }
`);
    expect(names(jobs)).toEqual(["test"]);
    expect(job(jobs, "test").needs).toEqual([]);
  });
});

describe("parallel and matrix", () => {
  it("names numbered instances and gives them CI_NODE_INDEX and CI_NODE_TOTAL", () => {
    const jobs = jobsOf(
      "rspec: { script: x, parallel: 3 }\nafter: { stage: deploy, script: x, needs: [rspec] }\n",
    );
    expect(names(jobs)).toEqual(["rspec 1/3", "rspec 2/3", "rspec 3/3", "after"]);
    expect(jobs.slice(0, 3).map((j) => [variable(j, "CI_NODE_INDEX"), variable(j, "CI_NODE_TOTAL")])).toEqual(
      [
        ["1", "3"],
        ["2", "3"],
        ["3", "3"],
      ],
    );
    expect(variable(jobs[1]!, "CI_JOB_GROUP_NAME")).toBe("rspec");
    expect(job(jobs, "after").needs).toEqual(["rspec 1/3", "rspec 2/3", "rspec 3/3"]);
  });

  it("names matrix instances like GitLab with their variables, first variable varying slowest", () => {
    const jobs = jobsOf(`
deploy:
  script: x
  variables: { PROVIDER: none }
  parallel:
    matrix:
      - PROVIDER: aws
        STACK: [monitoring, app1]
      - PROVIDER: [gcp, vultr]
        STACK: data
`);
    expect(names(jobs)).toEqual([
      "deploy: [aws, monitoring]",
      "deploy: [aws, app1]",
      "deploy: [gcp, data]",
      "deploy: [vultr, data]",
    ]);
    expect(
      jobs.map((j) => [variable(j, "PROVIDER"), variable(j, "STACK"), variable(j, "CI_NODE_INDEX")]),
    ).toEqual([
      ["aws", "monitoring", "1"],
      ["aws", "app1", "2"],
      ["gcp", "data", "3"],
      ["vultr", "data", "4"],
    ]);
    expect(jobs.every((j) => variable(j, "CI_NODE_TOTAL") === "4")).toBe(true);
  });
});

describe("variables", () => {
  it("layers predefined, global, job, rule and pipeline variables with GitLab's precedence", () => {
    const [only] = jobsOf(
      `
variables:
  GLOBAL: g
  OVERRIDDEN: global
  DESCRIBED: { value: v, description: shown in the run form }
job:
  stage: build
  script: x
  variables: { OVERRIDDEN: job, NUMBER: 3 }
  rules: [{ variables: { FROM_RULE: r } }]
`,
      { variables: { GLOBAL: "from-user" } },
    );
    // Only the file's variables are stored on the build (GitLab's `yaml_variables`); the server adds the
    // predefined ones when the job is sent.
    expect(variable(only!, "CI")).toBeUndefined();
    expect(variable(only!, "CI_NODE_TOTAL")).toBe("1");
    expect(variable(only!, "OVERRIDDEN")).toBe("job");
    expect(variable(only!, "NUMBER")).toBe("3");
    expect(variable(only!, "DESCRIBED")).toBe("v");
    expect(variable(only!, "FROM_RULE")).toBe("r");
    expect(only!.variables.filter((v) => v.key === "GLOBAL")).toEqual([
      { key: "GLOBAL", value: "from-user", public: false },
    ]);
  });

  it("lets rules:if see commit and ref variables for branches and tags", () => {
    const file = `
branch: { script: x, rules: [{ if: '$CI_COMMIT_BRANCH == "Feature/Big_Thing" && $CI_COMMIT_REF_SLUG == "feature-big-thing"' }] }
tag: { script: x, rules: [{ if: '$CI_COMMIT_TAG == "v1.2" && $CI_COMMIT_BRANCH == null' }] }
title: { script: x, rules: [{ if: '$CI_COMMIT_TITLE == "Add feature" && $CI_DEFAULT_BRANCH == "main"' }] }
`;
    expect(names(jobsOf(file, { ref: "Feature/Big_Thing" }))).toEqual(["branch", "title"]);
    expect(names(jobsOf(file, { ref: "v1.2", tag: true }))).toEqual(["tag", "title"]);
  });

  it("honours inherit:variables", () => {
    const jobs = jobsOf(`
variables: { A: a, B: b }
none: { script: x, inherit: { variables: false } }
some: { script: x, inherit: { variables: [B] } }
`);
    expect([variable(job(jobs, "none"), "A"), variable(job(jobs, "none"), "B")]).toEqual([
      undefined,
      undefined,
    ]);
    expect([variable(job(jobs, "some"), "A"), variable(job(jobs, "some"), "B")]).toEqual([undefined, "b"]);
  });
});

describe("artifacts", () => {
  it("maps artifacts onto core's artifacts options", () => {
    const [only] = jobsOf(`
job:
  script: x
  artifacts:
    name: report
    paths: [dist/, coverage/]
    exclude: [dist/*.map]
    expire_in: 1 week
    when: always
    reports: { dotenv: build.env }
`);
    expect(only!.artifactsOptions).toEqual({
      name: "report",
      paths: ["dist/", "coverage/"],
      exclude: ["dist/*.map"],
      expireIn: "1 week",
      when: "always",
      reportsDotenv: ["build.env"],
    });
  });

  it("reads artifacts:reports:junit as a string or a list of globs", () => {
    // https://docs.gitlab.com/ci/yaml/artifacts_reports/#artifactsreportsjunit
    const [one, many] = jobsOf(`
one:
  script: x
  artifacts: { reports: { junit: report.xml } }
many:
  script: x
  artifacts: { reports: { junit: ["rspec-*.xml", "$REPORT_DIR/**/TEST-*.xml"] } }
`);
    expect(one!.artifactsOptions).toEqual({ paths: [], when: "on_success", reportsJunit: ["report.xml"] });
    expect(many!.artifactsOptions?.reportsJunit).toEqual(["rspec-*.xml", "$REPORT_DIR/**/TEST-*.xml"]);
  });
});

describe("less common keywords", () => {
  it("lets a matching rule replace needs and interruptible", () => {
    const jobs = jobsOf(`
a: { stage: build, script: x }
b: { stage: build, script: x }
c:
  stage: test
  script: x
  needs: [a]
  interruptible: false
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
      needs: [b]
      interruptible: true
    - when: on_success
`);
    expect([job(jobs, "c").needs, job(jobs, "c").interruptible]).toEqual([["b"], true]);
    const other = jobsOf(
      "a: { stage: build, script: x }\nb: { stage: build, script: x }\nc: { script: x, needs: [a], rules: [{ if: $NO, needs: [b] }, { when: always }] }\n",
    );
    expect(job(other, "c").needs).toEqual(["a"]);
  });

  it("needs only the matrix instances listed under needs:parallel:matrix", () => {
    const jobs = jobsOf(`
build:
  stage: build
  script: x
  parallel: { matrix: [{ OS: [linux, mac], ARCH: [amd64, arm64] }] }
test:
  script: x
  needs:
    - job: build
      parallel: { matrix: [{ OS: linux, ARCH: [amd64, arm64] }] }
`);
    expect(job(jobs, "test").needs).toEqual(["build: [linux, amd64]", "build: [linux, arm64]"]);
  });

  it("never satisfies only:kubernetes: active and never excludes on except:kubernetes", () => {
    const jobs = jobsOf(
      "k8s: { script: x, only: { kubernetes: active } }\nrest: { script: x, except: { kubernetes: active } }\n",
    );
    expect(names(jobs)).toEqual(["rest"]);
  });

  it("gives each job its CI_JOB_NAME_SLUG", () => {
    const jobs = jobsOf(
      "Build Docs: { script: x, parallel: 2, rules: [{ if: '$CI_JOB_NAME_SLUG == \"build-docs-1-2\"' }] }\n",
    );
    expect(names(jobs)).toEqual(["Build Docs 1/2"]);
  });

  it("uses the same merged job for extends whichever order the templates come in", () => {
    const jobs = jobsOf(`
job: { extends: .b, script: own }
.b: { extends: .a, variables: { B: b } }
.a: { variables: { A: a }, tags: [t] }
`);
    expect([
      variable(job(jobs, "job"), "A"),
      variable(job(jobs, "job"), "B"),
      job(jobs, "job").tagList,
    ]).toEqual(["a", "b", ["t"]]);
  });
});
