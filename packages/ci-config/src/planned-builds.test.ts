import { type Build, newBuild, processPipeline } from "@buildsim/core";
import { expect, it } from "vitest";
import { buildFieldsOf } from "./plan-pipeline.js";
import { jobsOf } from "./test-support/plan-yaml.js";

const AT = "2026-01-01T00:00:00.000Z";

function buildsFor(yaml: string): Build[] {
  return jobsOf(yaml).map((job, index) =>
    newBuild({
      id: index + 1,
      projectId: 1,
      pipelineId: 1,
      ref: "main",
      sha: "0123456789abcdef0123456789abcdef01234567",
      token: `token-${index + 1}`,
      createdAt: AT,
      ...buildFieldsOf(job),
    }),
  );
}

it("plans builds that core's pipeline processing starts the way GitLab does", () => {
  const builds = buildsFor(`
compile: { stage: build, script: make }
approve: { stage: build, script: ok, when: manual }
lint: { stage: test, script: lint, needs: [] }
unit: { stage: test, script: test }
cleanup: { stage: deploy, script: rm, when: on_failure }
`);
  const decisions = processPipeline(builds, AT).map((d) => [builds[d.buildId - 1]!.name, d.event.type]);
  // compile and the manual approve start; lint needs nothing; unit waits for build; cleanup is skipped
  // only once earlier stages succeed, which has not happened yet.
  expect(decisions).toEqual([
    ["compile", "enqueue"],
    ["approve", "actionize"],
    ["lint", "enqueue"],
  ]);
});

it("carries every planned Build field into the build record", () => {
  const [build] = buildsFor(`
job:
  stage: build
  script: [make]
  before_script: [setup]
  after_script: [bye]
  allow_failure: { exit_codes: [3] }
  retry: { max: 2, when: [script_failure] }
  timeout: 10m
  tags: [docker]
  image: { name: "ruby:3.3", entrypoint: [""] }
  services: [postgres:16, { name: redis, alias: cache }]
  coverage: '/total: (\\d+)%/'
  artifacts: { paths: [out] }
`);
  expect(build).toMatchObject({
    stage: "build",
    stageIdx: 1,
    commands: ["make"],
    beforeScript: ["setup"],
    afterScript: ["bye"],
    allowFailure: true,
    allowFailureExitCodes: [3],
    retryMax: 2,
    retryWhen: ["script_failure"],
    timeoutS: 600,
    tagList: ["docker"],
    coverageRegex: "total: (\\d+)%",
    artifactsOptions: { paths: ["out"], when: "on_success" },
    status: "created",
    image: "ruby:3.3",
    services: ["postgres:16", "redis"],
  });
});
