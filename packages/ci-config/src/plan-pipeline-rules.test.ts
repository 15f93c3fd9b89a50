import { describe, expect, it } from "vitest";
import { job, jobsOf, names, plan, variable } from "./test-support/plan-yaml.js";

describe("only and except", () => {
  const yaml = `
branches: { script: x, only: [branches] }
tags: { script: x, only: [tags] }
main: { script: x, only: [main] }
release: { script: x, only: ['/^release-\\d+$/'] }
web: { script: x, only: [web] }
schedules: { script: x, only: [schedules] }
api: { script: x, only: [api] }
triggers: { script: x, only: [triggers] }
pushes: { script: x, only: [pushes] }
mrs: { script: x, only: [merge_requests] }
not_main: { script: x, except: [main] }
plain: { script: x }
`;

  it.each([
    [{}, ["branches", "main", "pushes", "plain"]],
    [{ ref: "release-12" }, ["branches", "release", "pushes", "not_main", "plain"]],
    [{ ref: "v1.0", tag: true }, ["tags", "pushes", "not_main", "plain"]],
    [{ source: "web" }, ["branches", "main", "web", "plain"]],
    [{ source: "schedule" }, ["branches", "main", "schedules", "plain"]],
    [{ source: "api" }, ["branches", "main", "api", "plain"]],
    [{ source: "trigger" }, ["branches", "main", "triggers", "plain"]],
    // except: without only: keeps the default only: [branches, tags], which no merge request matches.
    [{ source: "merge_request_event", ref: "feature" }, ["mrs"]],
  ])("for %j creates %j", (overrides, expected) => {
    expect(names(jobsOf(yaml, overrides))).toEqual(expected);
  });

  it("evaluates only:variables, only:changes and except:variables", () => {
    const changed = (globs: readonly string[]) => globs.includes("docs/**");
    const jobs = jobsOf(
      `
flagged: { script: x, only: { variables: ['$DEPLOY == "yes"'] } }
unflagged: { script: x, only: { variables: ['$DEPLOY == "no"'] } }
docs: { script: x, only: { changes: [docs/**] } }
src: { script: x, only: { changes: [src/**] } }
skip: { script: x, except: { variables: [$DEPLOY] } }
both: { script: x, only: { refs: [main], variables: [$DEPLOY] } }
`,
      { variables: { DEPLOY: "yes" }, changes: changed },
    );
    expect(names(jobs)).toEqual(["flagged", "docs", "both"]);
  });

  it("matches refs scoped to a project path", () => {
    const yaml2 =
      "a: { script: x, only: [branches@group/app] }\nb: { script: x, only: [branches@other/app] }\n";
    expect(names(jobsOf(yaml2, { projectPath: "group/app" }))).toEqual(["a"]);
  });
});

describe("rules", () => {
  it("uses the first matching rule and its when, allow_failure, start_in and variables", () => {
    const jobs = jobsOf(
      `
job:
  script: x
  variables: { LEVEL: job }
  rules:
    - if: $CI_COMMIT_BRANCH == "other"
      when: never
    - if: $CI_COMMIT_BRANCH == "main" && $CI_PIPELINE_SOURCE == "push"
      when: manual
      allow_failure: true
      variables: { LEVEL: rule }
    - when: always
delayed:
  script: x
  rules:
    - if: $CI_COMMIT_TAG == null
      when: delayed
      start_in: 5 minutes
`,
    );
    expect([job(jobs, "job").when, job(jobs, "job").allowFailure]).toEqual(["manual", true]);
    expect(variable(job(jobs, "job"), "LEVEL")).toBe("rule");
    expect([job(jobs, "delayed").when, job(jobs, "delayed").startInS]).toEqual(["delayed", 300]);
  });

  it("leaves manual rules not allowed to fail by default, unlike job-level when: manual", () => {
    const [only] = jobsOf("job: { script: x, rules: [{ when: manual }] }\n");
    expect([only!.when, only!.allowFailure]).toEqual(["manual", false]);
  });

  it("falls back to the job's when when the rule has none", () => {
    const [only] = jobsOf("job: { script: x, when: on_failure, rules: [{ if: $CI }] }\n");
    expect(only!.when).toBe("on_failure");
  });

  it("leaves a job out when no rule matches or the match says never", () => {
    const jobs = jobsOf(`
nomatch: { script: x, rules: [{ if: '$CI_COMMIT_TAG' }] }
never: { script: x, rules: [{ if: $CI, when: never }, { when: always }] }
kept: { script: x, rules: [{ if: '$CI_COMMIT_REF_NAME =~ /^ma/' }] }
`);
    expect(names(jobs)).toEqual(["kept"]);
  });

  it("asks the repository for exists and changes", () => {
    const asked: string[][] = [];
    const jobs = jobsOf(
      `
docker: { script: x, rules: [{ exists: [Dockerfile] }] }
go: { script: x, rules: [{ exists: [go.mod] }] }
docs: { script: x, rules: [{ changes: { paths: ['docs/*'] } }] }
src: { script: x, rules: [{ if: $CI, changes: ['src/*'] }] }
`,
      {
        exists: (globs) => {
          asked.push([...globs]);
          return globs.includes("Dockerfile");
        },
        changes: (globs) => globs.includes("docs/*"),
      },
    );
    expect(names(jobs)).toEqual(["docker", "docs"]);
    expect(asked).toEqual([["Dockerfile"], ["go.mod"]]);
  });

  it("expands known variables in exists and changes paths, leaving unknown ones", () => {
    const asked: string[] = [];
    jobsOf(
      `
variables: { DIR: deploy }
job:
  script: x
  variables: { FILE: app.yaml }
  rules:
    - exists: ['$DIR/\${FILE}', '%DIR%/x', $NOPE/y]
    - changes: [$DIR/**/*]
`,
      {
        exists: (globs) => {
          asked.push(...globs);
          return false;
        },
        changes: (globs) => {
          asked.push(...globs);
          return true;
        },
      },
    );
    expect(asked).toEqual(["deploy/app.yaml", "deploy/x", "$NOPE/y", "deploy/**/*"]);
  });

  it("lets rules see job and matrix variables", () => {
    const jobs = jobsOf(`
build:
  script: x
  parallel: { matrix: [{ OS: [linux, mac] }] }
  rules: [{ if: $OS == "linux" }]
`);
    expect(names(jobs)).toEqual(["build: [linux]"]);
  });
});

describe("workflow:rules", () => {
  const yaml = `
workflow:
  rules:
    - if: $CI_COMMIT_TAG
      when: never
    - if: $CI_PIPELINE_SOURCE == "push"
      variables: { DEPLOY_TO: staging }
    - if: $CI_PIPELINE_SOURCE == "web"
job: { script: x }
`;

  it("creates the pipeline with the matching rule's variables", () => {
    const result = plan(yaml);
    expect(result.created && variable(result.jobs[0]!, "DEPLOY_TO")).toBe("staging");
  });

  it("filters out pipelines whose matching rule says never, or that match no rule", () => {
    const filtered = { created: false, reason: "Pipeline filtered out by workflow rules." };
    expect(plan(yaml, { tag: true, ref: "v1" })).toEqual(filtered);
    expect(plan(yaml, { source: "schedule" })).toEqual(filtered);
  });

  it("drops the default only: [branches, tags] so merge request pipelines get jobs", () => {
    const jobs = jobsOf("workflow: { rules: [{ when: always }] }\njob: { script: x }\n", {
      source: "merge_request_event",
    });
    expect(names(jobs)).toEqual(["job"]);
  });

  it("creates no pipeline when only .pre and .post jobs are left", () => {
    const result = plan("setup: { stage: .pre, script: x }\nbuild: { script: x, only: [tags] }\n");
    expect(result.created).toBe(false);
  });

  it("says so when rules leave no job at all", () => {
    expect(plan("job: { script: x, rules: [{ if: $NOPE }] }\n")).toEqual({
      created: false,
      reason:
        "Pipeline will not run for the selected trigger. The rules configuration prevented any jobs from being added to the pipeline.",
    });
  });
});
