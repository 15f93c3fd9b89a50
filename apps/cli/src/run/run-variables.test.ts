// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitLab variable references are the subject here.
// Variables end to end through `buildsim run`: real server, runner, bash and SQLite. Expected values come
// from GitLab's docs, cited per case.

import { afterEach, describe, expect, it } from "vitest";
import { removeRunRepos, runPipeline } from "./test-support/run-pipeline.js";

afterEach(removeRunRepos);

const line = (trace: string, key: string) => new RegExp(`^${key}=(.*)$`, "m").exec(trace)?.[1];

describe("buildsim run and variables", () => {
  it("expands variables within variables, keeps $$ as an escape and expand: false values raw", async () => {
    // https://docs.gitlab.com/ci/variables/where_variables_can_be_used/#nested-variable-expansion and
    // https://docs.gitlab.com/ci/yaml/#variablesexpand
    const r = await runPipeline({
      ".gitlab-ci.yml": `
variables:
  GLOBAL: g
  NESTED: "$GLOBAL-nested"
  DEEP: "\${NESTED}/deep"
  ESCAPED: "$$GLOBAL"
  RAW: { value: "$GLOBAL-raw", expand: false }
  FLAG: true
job:
  script:
    - echo "NESTED=$NESTED"
    - echo "DEEP=$DEEP"
    - echo "ESCAPED=$ESCAPED"
    - echo "RAW=$RAW"
    - echo "FLAG=$FLAG"
`,
    });
    expect(r.code).toBe(0);
    const t = r.trace("job");
    expect([line(t, "NESTED"), line(t, "DEEP"), line(t, "ESCAPED"), line(t, "RAW"), line(t, "FLAG")]).toEqual(
      ["g-nested", "g-nested/deep", "$GLOBAL", "$GLOBAL-raw", "true"],
    );
  });

  it("applies GitLab's precedence: --var over project variables over job over global", async () => {
    // https://docs.gitlab.com/ci/variables/#cicd-variable-precedence
    const r = await runPipeline(
      {
        ".gitlab-ci.yml": `
variables: { A: global, B: global, C: global, D: global }
job:
  variables: { B: job, C: job, D: job }
  script: ['echo "A=$A"', 'echo "B=$B"', 'echo "C=$C"', 'echo "D=$D"']
`,
        ".buildsim/variables.yml": "C: project\nD: project\n",
      },
      ["--var", "D=pipeline"],
    );
    expect(r.code).toBe(0);
    const t = r.trace("job");
    expect(["A", "B", "C", "D"].map((k) => line(t, k))).toEqual(["global", "job", "project", "pipeline"]);
  });

  it("shows masked project variables as [MASKED] in the trace and the board, also split across writes", async () => {
    // https://docs.gitlab.com/ci/variables/#mask-a-cicd-variable
    const secret = "s3cr3t-Value-42";
    const r = await runPipeline({
      ".gitlab-ci.yml": `
job:
  script:
    - echo "whole=$TOKEN"
    - printf 'split=%s' "\${TOKEN:0:6}"; sleep 0.3; printf '%s\\n' "\${TOKEN:6}"
`,
      ".buildsim/variables.yml": `TOKEN: { value: "${secret}", masked: true }\n`,
    });
    expect(r.code).toBe(0);
    expect(r.trace("job")).toContain(`whole=${secret}`);
    expect(line(await r.maskedTrace("job"), "whole")).toBe("[MASKED]");
    expect(line(await r.maskedTrace("job"), "split")).toBe("[MASKED]");
    expect(r.out).not.toContain(secret);
    expect(r.out).toContain("split=[MASKED]");
  });

  it("writes file-type project variables to a file whose path is the value", async () => {
    // https://docs.gitlab.com/ci/variables/#use-file-type-cicd-variables
    const r = await runPipeline({
      ".gitlab-ci.yml":
        'job:\n  script: [\'echo "content=$(cat "$CONFIG_FILE")"\', \'test -f "$CONFIG_FILE"\']\n',
      ".buildsim/variables.yml": "CONFIG_FILE: { value: from-a-file, variable_type: file }\n",
    });
    expect(r.code).toBe(0);
    expect(line(r.trace("job"), "content")).toBe("from-a-file");
  });

  it("gives protected project variables only to pipelines on the protected default branch", async () => {
    const files = {
      ".gitlab-ci.yml": "job:\n  script: ['echo \"P=$PROTECTED_ONLY\"']\n",
      ".buildsim/variables.yml": "PROTECTED_ONLY: { value: yes-protected, protected: true }\n",
    };
    const onMain = await runPipeline(files);
    expect(line(onMain.trace("job"), "P")).toBe("yes-protected");
    const onFeature = await runPipeline(files, [], undefined, {
      branch: "feature",
      setup: (git) => {
        git("update-ref", "refs/remotes/origin/main", "HEAD");
        git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main");
      },
    });
    expect(line(onFeature.trace("job"), "P")).toBe("");
  });

  it("reports each malformed variable of the variables file at its position, in GitLab's words", async () => {
    const r = await runPipeline({
      ".gitlab-ci.yml": "job: { script: [echo ok] }\n",
      ".buildsim/variables.yml":
        "OK: fine\nbad-key: x\nSHORT: { value: abc, masked: true }\nTYPE: { value: x, variable_type: secret }\n",
    });
    expect(r.code).toBe(1);
    expect(r.builds).toEqual([]);
    expect(r.out).toContain(
      ".buildsim/variables.yml:2:1: variables:bad-key key can contain only letters, digits and '_'.",
    );
    expect(r.out).toContain(".buildsim/variables.yml:3:1: variables:SHORT value is invalid");
    expect(r.out).toContain(
      ".buildsim/variables.yml:4:1: variables:TYPE variable_type does not have a valid value",
    );
  });

  it("expands variables in artifacts:paths and artifacts:name on the runner", async () => {
    // https://docs.gitlab.com/ci/variables/where_variables_can_be_used/ (artifacts:paths: Runner)
    const r = await runPipeline({
      ".gitlab-ci.yml": `
variables: { OUT: "dist-$CI_COMMIT_REF_SLUG" }
build:
  script: [mkdir -p "$OUT", echo x > "$OUT/app"]
  artifacts: { name: "app-$CI_JOB_NAME", paths: ["$OUT/"] }
`,
    });
    expect(r.code).toBe(0);
    expect(r.trace("build")).toContain("dist-main/: found 1 matching artifact files and directories");
  });
});

describe("buildsim run and predefined variables", () => {
  it("sets CI_DEFAULT_BRANCH from origin/HEAD, never the ref being run, and rules compare against it", async () => {
    // https://docs.gitlab.com/ci/variables/predefined_variables/: CI_DEFAULT_BRANCH, "the name of the
    // project's default branch".
    const r = await runPipeline(
      {
        ".gitlab-ci.yml": `
variables: { MAIN: "$CI_DEFAULT_BRANCH" }
feature-only:
  rules: [{ if: $CI_COMMIT_BRANCH != $MAIN }]
  script:
    - echo "DEFAULT=$CI_DEFAULT_BRANCH"
    - echo "BRANCH=$CI_COMMIT_BRANCH"
    - echo "PROTECTED=$CI_COMMIT_REF_PROTECTED"
default-only:
  rules: [{ if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH }]
  script: [echo ok]
`,
      },
      [],
      undefined,
      {
        branch: "feature/login",
        setup: (git) => {
          git("update-ref", "refs/remotes/origin/trunk", "HEAD");
          git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk");
        },
      },
    );
    expect(r.code).toBe(0);
    expect(r.builds.map((b) => b.name)).toEqual(["feature-only"]);
    const t = r.trace("feature-only");
    expect([line(t, "DEFAULT"), line(t, "BRANCH"), line(t, "PROTECTED")]).toEqual([
      "trunk",
      "feature/login",
      "false",
    ]);
  });

  it("gives jobs the predefined variables a local run knows, and CI_JOB_STATUS in after_script", async () => {
    // https://docs.gitlab.com/ci/variables/predefined_variables/
    const keys = [
      "CI_NODE_TOTAL",
      "CI_PIPELINE_IID",
      "CI_JOB_URL",
      "CI_PIPELINE_URL",
      "CI_SERVER_HOST",
      "CI_SERVER_PROTOCOL",
      "CI_SERVER_VERSION_MAJOR",
      "CI_COMMIT_TITLE",
      "CI_COMMIT_DESCRIPTION",
      "CI_COMMIT_AUTHOR",
      "CI_COMMIT_TIMESTAMP",
      "GITLAB_USER_LOGIN",
      "CI_PROJECT_DIR",
    ];
    const r = await runPipeline({
      ".gitlab-ci.yml": `
job:
  script:
${keys.map((k) => `    - echo "${k}=$${k}"`).join("\n")}
  after_script: ['echo "CI_JOB_STATUS=$CI_JOB_STATUS"']
failing:
  script: [exit 3]
  allow_failure: true
  after_script: ['echo "CI_JOB_STATUS=$CI_JOB_STATUS"']
`,
    });
    const t = r.trace("job");
    const job = r.builds.find((b) => b.name === "job")!;
    const values = Object.fromEntries(keys.map((k) => [k, line(t, k)]));
    expect(values).toMatchObject({
      CI_NODE_TOTAL: "1",
      CI_PIPELINE_IID: "1",
      CI_SERVER_HOST: "127.0.0.1",
      CI_SERVER_PROTOCOL: "http",
      CI_SERVER_VERSION_MAJOR: "17",
      CI_COMMIT_TITLE: "test",
      CI_COMMIT_DESCRIPTION: "",
      CI_COMMIT_AUTHOR: "t <t@x>",
      GITLAB_USER_LOGIN: "root",
    });
    expect(values.CI_JOB_URL).toMatch(new RegExp(`/-/jobs/${job.id}$`));
    expect(values.CI_PIPELINE_URL).toMatch(new RegExp(`/-/pipelines/${job.pipelineId}$`));
    expect(values.CI_COMMIT_TIMESTAMP).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(values.CI_PROJECT_DIR).toMatch(/project$/);
    expect(line(t, "CI_JOB_STATUS")).toBe("success");
    expect(line(r.trace("failing"), "CI_JOB_STATUS")).toBe("failed");
  });
});

describe("buildsim run and coverage", () => {
  it("reads coverage: with RE2 syntax and takes the capture group, not the first number of the match", async () => {
    // https://docs.gitlab.com/ci/yaml/#coverage and GitLab's Trace::Stream#extract_coverage.
    const r = await runPipeline({
      ".gitlab-ci.yml": `
test:
  script: ['echo "Coverage: 3 of 4 files (81.25%)"']
  coverage: '/(?i)coverage: .*\\((\\d+\\.\\d+)%\\)/'
`,
    });
    expect(r.code).toBe(0);
    expect(r.builds[0]?.coverage).toBe(81.25);
  });
});

describe("buildsim run --job", () => {
  const file = `
build: { script: [echo ok] }
build-docs: { script: [echo ok] }
test: { script: [echo ok], parallel: 2 }
deploy: { script: [echo ok], parallel: { matrix: [{ ENV: [staging, prod] }] } }
`;

  it("selects exact names, all instances of a parallel or matrix job, or one instance", async () => {
    const r = await runPipeline({ ".gitlab-ci.yml": file }, [
      "--job",
      "build",
      "--job",
      "test",
      "--job",
      "deploy: [prod]",
    ]);
    expect(r.code).toBe(0);
    expect(r.builds.map((b) => b.name)).toEqual(["build", "test 1/2", "test 2/2", "deploy: [prod]"]);
  });

  it("refuses an unknown name with exit code 2 and lists the jobs that exist", async () => {
    const r = await runPipeline({ ".gitlab-ci.yml": file }, ["--job", "buil"]);
    expect(r.code).toBe(2);
    expect(r.builds).toEqual([]);
    expect(r.out).toBe(
      'buildsim run: no job "buil" in .gitlab-ci.yml; its jobs are: build, build-docs, test, deploy\n',
    );
  });
});
