// Child pipelines end to end through `buildsim run` (real server, runner with the shell executor, bash,
// SQLite): a local child, a child generated into an earlier job's artifacts, `strategy: depend` and
// `mirror`, and dotenv variables passed down.
// https://docs.gitlab.com/ci/pipelines/downstream_pipelines/ and https://docs.gitlab.com/ci/yaml/#trigger

import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, removeRunRepos, runPipeline as run } from "./test-support/run-pipeline.js";

afterEach(removeRunRepos);

const PARENT = `
stages: [build, test, deploy]
generate:
  stage: build
  script:
    - |
      printf 'generated:\\n  script: echo "from $CI_PIPELINE_SOURCE, parent $PARENT_ID"\\n' > gen.yml
  artifacts: { paths: [gen.yml] }
local-child:
  stage: test
  variables: { PARENT_ID: $CI_PIPELINE_ID }
  trigger:
    include: ci/child.yml
    strategy: depend
dynamic-child:
  stage: test
  variables: { PARENT_ID: $CI_PIPELINE_ID }
  trigger:
    include:
      - artifact: gen.yml
        job: generate
    strategy: depend
after:
  stage: deploy
  needs: [local-child]
  script: echo after
`;

const CHILD = `
child-build:
  stage: build
  script: echo "child of $PARENT_ID on $CI_COMMIT_REF_NAME"
child-test:
  stage: test
  script: echo child-test
`;

describe("buildsim run with trigger: jobs", () => {
  it("runs a local child and an artifact-generated child through the runner, then the jobs after them", async () => {
    const r = await run({ ".gitlab-ci.yml": PARENT, "ci/child.yml": CHILD });
    expect(r.code).toBe(0);
    const [parent, ...children] = r.pipelines;
    expect(parent).toMatchObject({ status: "success", source: "push", upstreamPipelineId: null });
    expect(children.map((p) => [p.source, p.status, p.upstreamPipelineId])).toEqual([
      ["parent_pipeline", "success", parent!.id],
      ["parent_pipeline", "success", parent!.id],
    ]);
    const byPipeline = (id: number) =>
      r.builds.filter((b) => b.pipelineId === id).map((b) => `${b.name}:${b.status}`);
    expect(byPipeline(parent!.id)).toEqual([
      "generate:success",
      "local-child:success",
      "dynamic-child:success",
      "after:success",
    ]);
    // The runner ran the children's jobs: their logs hold what the bridge passed down.
    expect(r.trace("child-build")).toContain(`child of ${parent!.id} on main`);
    expect(r.trace("generated")).toContain(`from parent_pipeline, parent ${parent!.id}`);
    // The board nests each downstream pipeline under its trigger job.
    expect(r.out).toMatch(/local-child > child-build/);
    expect(r.out).toMatch(/dynamic-child > generated/);
  });

  it("fails the run when a strategy: depend child fails, and not when a child without it fails", async () => {
    const failing = "broken:\n  script: exit 3\n";
    const depend = await run({
      ".gitlab-ci.yml": "child:\n  trigger: { include: child.yml, strategy: depend }\n",
      "child.yml": failing,
    });
    expect(depend.code).toBe(1);
    expect(depend.pipelines.map((p) => p.status)).toEqual(["failed", "failed"]);
    expect(depend.builds.find((b) => b.name === "child")).toMatchObject({ status: "failed" });

    // Without a strategy the trigger job succeeds once the child exists, whatever the child does.
    const fire = await run({
      ".gitlab-ci.yml": "child:\n  trigger: { include: child.yml }\n",
      "child.yml": failing,
    });
    expect(fire.code).toBe(0);
    expect(fire.pipelines.map((p) => p.status)).toEqual(["success", "failed"]);
  });

  // https://docs.gitlab.com/ci/yaml/#triggerstrategy: mirror takes the child's status as it is.
  it("ends the run as the child ends under strategy: mirror, where depend turns a skipped child into a failure", async () => {
    const skippedChild = "only-on-failure:\n  script: echo never\n  when: on_failure\n";
    const parent = (strategy: string) =>
      `build:\n  script: echo ok\nchild:\n  trigger: { include: child.yml, strategy: ${strategy} }\n`;
    const mirror = await run({ ".gitlab-ci.yml": parent("mirror"), "child.yml": skippedChild });
    expect(mirror.code).toBe(0);
    expect(mirror.pipelines.map((p) => p.status)).toEqual(["success", "skipped"]);
    expect(mirror.builds.find((b) => b.name === "child")).toMatchObject({ status: "skipped" });
    const depend = await run({ ".gitlab-ci.yml": parent("depend"), "child.yml": skippedChild });
    expect(depend.code).toBe(1);
    expect(depend.builds.find((b) => b.name === "child")).toMatchObject({ status: "failed" });
  });

  // https://docs.gitlab.com/ci/variables/dotenv_variables/ ("pass … to downstream pipelines") and
  // Gitlab::Ci::Variables::Downstream::Generator#downstream_pipeline_dotenv_variables.
  it("passes dotenv variables of the jobs a trigger job needs: through its variables, or all with forward:pipeline_variables", async () => {
    const show = (job: string) =>
      `${job}:\n  script: echo "version=[$VERSION] build=[$BUILD_VERSION] other=[$OTHER] unrelated=[$UNRELATED]"\n`;
    const r = await run(
      {
        ".gitlab-ci.yml": `
stages: [build, test]
build_vars:
  stage: build
  script: ['echo "BUILD_VERSION=v1.2" > build.env', 'echo "OTHER=dotenv" >> build.env']
  artifacts: { reports: { dotenv: build.env } }
unrelated:
  stage: build
  script: ['echo "UNRELATED=yes" > u.env']
  artifacts: { reports: { dotenv: u.env } }
picked:
  stage: test
  needs: [build_vars]
  variables: { VERSION: $BUILD_VERSION }
  trigger: { include: picked.yml, strategy: depend }
forwarded:
  stage: test
  needs: [build_vars]
  trigger: { include: forwarded.yml, strategy: depend, forward: { pipeline_variables: true } }
`,
        "picked.yml": show("show-picked"),
        "forwarded.yml": show("show-forwarded"),
      },
      ["--var", "OTHER=cli"],
    );
    expect(r.code).toBe(0);
    // Only what the trigger job's own variables name reaches the child by default.
    expect(r.trace("show-picked")).toContain("version=[v1.2] build=[] other=[] unrelated=[]\n");
    // forward:pipeline_variables adds the needed job's dotenv variables, under the pipeline's own (--var).
    expect(r.trace("show-forwarded")).toContain("version=[] build=[v1.2] other=[cli] unrelated=[]\n");
  });

  // https://docs.gitlab.com/ci/pipelines/downstream_pipelines/#multi-project-pipelines
  it("runs a multi-project pipeline of a project given with --project, at its branch", async () => {
    const deployer = makeRepo({
      ".gitlab-ci.yml":
        'deploy:\n  script: echo "deploying $VERSION from $CI_PIPELINE_SOURCE on $CI_COMMIT_REF_NAME"\n',
    });
    const r = await run(
      {
        ".gitlab-ci.yml":
          "release:\n  variables: { VERSION: '1.2' }\n  trigger: { project: group/deployer, branch: main, strategy: depend }\n",
      },
      ["--project", `group/deployer=${deployer}`],
    );
    expect(r.code).toBe(0);
    expect(r.pipelines.map((p) => [p.source, p.status])).toEqual([
      ["push", "success"],
      ["pipeline", "success"],
    ]);
    expect(r.trace("deploy")).toContain("deploying 1.2 from pipeline on main");
  });
});
