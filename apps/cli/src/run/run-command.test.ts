// Pipelines run end to end by `buildsim run`: real server, real runner, real bash, real SQLite. Each case
// checks which jobs were created, in what order, how each ended, and what each job saw.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeRunRepos, runPipeline as run, statuses } from "./test-support/run-pipeline.js";

const dirs: string[] = [];
afterEach(() => {
  removeRunRepos();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("buildsim run", () => {
  it("passes artifacts by stage, needs and dependencies, and nothing else", async () => {
    const r = await run({
      ".gitlab-ci.yml": `
stages: [build, test]
a:
  stage: build
  script: [mkdir -p out, echo A > out/a.txt]
  artifacts: { paths: [out/a.txt] }
b:
  stage: build
  script: [mkdir -p out, echo B > out/b.txt]
  artifacts: { paths: [out/b.txt] }
all:
  stage: test
  script: ['echo "saw $(ls out | tr "\\n" " ")"']
only-a:
  stage: test
  needs: [a]
  script: ['echo "saw $(ls out | tr "\\n" " ")"']
nothing:
  stage: test
  needs: []
  script: ['echo "saw $(ls out 2>/dev/null | tr "\\n" " ")end"']
deps-b:
  stage: test
  dependencies: [b]
  script: ['echo "saw $(ls out | tr "\\n" " ")"']
`,
    });
    expect(r.code).toBe(0);
    expect(statuses(r)).toEqual([
      "a:success",
      "b:success",
      "all:success",
      "only-a:success",
      "nothing:success",
      "deps-b:success",
    ]);
    expect(r.trace("all")).toContain("saw a.txt b.txt");
    expect(r.trace("only-a")).toContain("saw a.txt \n");
    expect(r.trace("nothing")).toContain("saw end");
    expect(r.trace("deps-b")).toContain("saw b.txt \n");
  });

  it("retries a failed job as retry: says, and the pipeline succeeds when the retry does", async () => {
    const counter = path.join(mkdtempSync(path.join(tmpdir(), "buildsim-counter-")), "n");
    dirs.push(path.dirname(counter));
    const r = await run(
      {
        ".gitlab-ci.yml": `
flaky:
  stage: build
  retry: 2
  script: ['n=$(cat "$COUNTER" 2>/dev/null || echo 0); echo $((n+1)) > "$COUNTER"; test "$n" -ge 1']
after:
  stage: test
  script: [echo after]
`,
      },
      ["--var", `COUNTER=${counter}`],
    );
    expect(r.code).toBe(0);
    expect(r.builds.map((b) => `${b.name}:${b.status}${b.retried ? ":retried" : ""}`)).toEqual([
      "flaky:failed:retried",
      "after:success",
      "flaky:success",
    ]);
    expect(readFileSync(counter, "utf8").trim()).toBe("2");
  });

  it("creates jobs by only/except and rules for the branch", async () => {
    const r = await run({
      ".gitlab-ci.yml": `
on-main:
  script: [echo main]
  only: [main]
not-main:
  script: [echo x]
  except: [main]
tags-only:
  script: [echo x]
  only: [tags]
by-rule:
  script: ['echo "var=$FROM_RULE"']
  rules:
    - if: $CI_COMMIT_BRANCH == "main" && $CI_PIPELINE_SOURCE == "push"
      variables: { FROM_RULE: ruled }
never:
  script: [echo x]
  rules:
    - when: never
`,
    });
    expect(r.code).toBe(0);
    expect(statuses(r)).toEqual(["on-main:success", "by-rule:success"]);
    expect(r.trace("by-rule")).toContain("var=ruled");
  });

  it("waits on manual jobs, and plays the ones named with --manual", async () => {
    const yaml = `
build:
  stage: build
  script: [echo build]
deploy:
  stage: deploy
  when: manual
  script: [echo deployed]
`;
    const waiting = await run({ ".gitlab-ci.yml": yaml });
    expect(statuses(waiting)).toEqual(["build:success", "deploy:manual"]);
    expect(waiting.code).toBe(0);
    const played = await run({ ".gitlab-ci.yml": yaml }, ["--manual", "deploy"]);
    expect(statuses(played)).toEqual(["build:success", "deploy:success"]);
    expect(played.trace("deploy")).toContain("deployed");
  });

  it("allows only the listed exit codes to fail", async () => {
    const r = await run({
      ".gitlab-ci.yml": `
stages: [test, deploy]
allowed:
  stage: test
  allow_failure: { exit_codes: [3] }
  script: [exit 3]
not-allowed:
  stage: test
  allow_failure: { exit_codes: [3] }
  script: [exit 4]
deploy:
  stage: deploy
  script: [echo deploy]
`,
    });
    expect(r.code).toBe(1);
    expect(statuses(r)).toEqual(["allowed:failed", "not-allowed:failed", "deploy:skipped"]);
    expect(r.builds.map((b) => b.allowFailure)).toEqual([true, false, false]);
    expect(r.builds.map((b) => b.exitCode)).toEqual([3, 4, null]);
  });

  it("expands parallel:matrix into one job per combination with its variables", async () => {
    const r = await run({
      ".gitlab-ci.yml": `
test:
  parallel:
    matrix:
      - OS: [linux, mac]
        NODE: ["20", "22"]
  script: ['echo "on $OS with $NODE"']
`,
    });
    expect(r.code).toBe(0);
    expect(statuses(r)).toEqual([
      "test: [linux, 20]:success",
      "test: [linux, 22]:success",
      "test: [mac, 20]:success",
      "test: [mac, 22]:success",
    ]);
    expect(r.trace("test: [mac, 22]")).toContain("on mac with 22");
  });

  // https://docs.gitlab.com/ci/jobs/job_control/#run-a-job-after-a-delay: the job is `scheduled` during
  // its countdown, then pending.
  it("starts a delayed job only once its start_in has passed, scheduled meanwhile", async () => {
    const r = await run({
      ".gitlab-ci.yml": `
build:
  stage: build
  script: [echo build]
later:
  stage: deploy
  when: delayed
  start_in: 1 second
  script: [echo later]
`,
    });
    expect(r.code).toBe(0);
    expect(statuses(r)).toEqual(["build:success", "later:success"]);
    const [build, later] = r.builds;
    expect(Date.parse(later!.queuedAt!) - Date.parse(build!.finishedAt!)).toBeGreaterThanOrEqual(1000);
    expect(later!.scheduledAt).toBeNull();
    expect(r.out).toMatch(/^later +◷ scheduled$/m);
  });

  it("reads a job's coverage from its trace with coverage:", async () => {
    const r = await run({
      ".gitlab-ci.yml": "test:\n  coverage: '/Total: \\d+\\.\\d+%/'\n  script: ['echo \"Total: 87.25%\"']\n",
    });
    expect(r.code).toBe(0);
    expect(r.builds[0]?.coverage).toBe(87.25);
  });

  it("hands artifacts:reports:dotenv variables to the jobs that take the job's artifacts", async () => {
    const r = await run({
      ".gitlab-ci.yml": `
stages: [build, test]
version:
  stage: build
  script: ['echo "VERSION=1.2.3" > build.env', 'echo "FROM_YAML=dotenv" >> build.env']
  artifacts:
    reports: { dotenv: build.env }
uses:
  stage: test
  variables: { FROM_YAML: yaml }
  script: ['echo "version=$VERSION from=$FROM_YAML"']
isolated:
  stage: test
  needs: []
  script: ['echo "version=[$VERSION]"']
`,
    });
    expect(r.code).toBe(0);
    expect(r.builds[0]?.dotenvVariables).toEqual([
      { key: "VERSION", value: "1.2.3", public: false },
      { key: "FROM_YAML", value: "dotenv", public: false },
    ]);
    // Dotenv variables outrank the job's own YAML variables, as in GitLab.
    expect(r.trace("uses")).toContain("version=1.2.3 from=dotenv\n");
    expect(r.trace("isolated")).toContain("version=[]\n");
  });

  it("reports an invalid file with its position and runs nothing", async () => {
    const r = await run({ ".gitlab-ci.yml": "job:\n  stage: build\n" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\.gitlab-ci\.yml:1:1: .*script/);
    expect(r.builds).toEqual([]);
  });
});
