// Services and caches of the docker executor end to end, against a real dockerd with images built from
// Debian packages: CI_DEBUG_SERVICES, the wait-for-service warning, `untracked: true` of artifacts and
// caches, and `cache:key:prefix`. Texts are GitLab Runner's (cited per test).

import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { JobPayload } from "@buildsim/core";
import { createDockerExecutor } from "@buildsim/runner";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBuildsimRuns, leftovers } from "./test-support/buildsim-runs.js";
import { BUSYBOX_IMAGE, ensureTestImages, PORT_IMAGE } from "./test-support/test-images.js";

const work = mkdtempSync(path.join(os.tmpdir(), "buildsim-docker-sc-e2e-"));
const runs = createBuildsimRuns(work);

beforeAll(() => ensureTestImages(), 120_000);
afterEach(() => runs.killAll());
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** GitLab's `key:files` digest: SHA1 of the files' git blob ids joined by `-` (seed/build/cache.rb). */
function filesKeyDigest(...contents: string[]): string {
  const ids = contents.map((c) =>
    createHash("sha1")
      .update(`blob ${Buffer.byteLength(c)}\0${c}`)
      .digest("hex"),
  );
  return createHash("sha1")
    .update([...new Set(ids)].sort().join("-"))
    .digest("hex");
}

describe("docker services", { timeout: 120_000 }, () => {
  // Runner's docker executor with CI_DEBUG_SERVICES=true streams each service's output into the trace, each
  // line prefixed with `[service:ALIASES] `, the service's aliases joined by `-`
  // (helpers/service/inline_service_log_writer.go, executors/docker/services.go captureContainersLogs).
  // https://docs.gitlab.com/ci/services/#capturing-service-container-logs
  it("streams service output into the trace with CI_DEBUG_SERVICES, and only then", async () => {
    const service = (words: string) => `    - name: ${BUSYBOX_IMAGE}
      alias: chatty
      command: ["sh", "-c", "echo ${words}; echo second line; exec sleep 600"]`;
    const run = runs.start(
      runs.project(`debug:
  image: ${BUSYBOX_IMAGE}
  variables: { CI_DEBUG_SERVICES: "true" }
  services:
${service("loud service")}
  script: [sleep 1, echo job done]
quiet:
  image: ${BUSYBOX_IMAGE}
  services:
${service("quiet service")}
  script: [sleep 1, echo job done]
`),
    );
    expect(await run.exit).toBe(0);
    expect(run.output).toContain(
      "[service:buildsim-test__busybox-buildsim-test-busybox-chatty] loud service",
    );
    expect(run.output).toContain("[service:buildsim-test__busybox-buildsim-test-busybox-chatty] second line");
    expect(run.output).not.toContain("quiet service");
    expect(leftovers()).toEqual({ containers: "", networks: "" });
  });

  // Runner waits for the ports a service image exposes; when one never answers it prints this block and the
  // job goes on (executors/docker/internal/... waitForServiceContainer; https://docs.gitlab.com/ci/services/
  // "How the health check of services works").
  it("warns in Runner's words when a service never listens on its exposed port, and the job goes on", async () => {
    const executor = createDockerExecutor({
      runnerName: "e2e",
      runnerVersion: "0",
      serverUrl: "http://127.0.0.1:9",
      runnerKey: "e2ewait",
      waitForServicesTimeoutS: 2,
    });
    let trace = "";
    const result = await executor.run({
      job: dockerJob({
        services: [
          {
            name: PORT_IMAGE,
            aliases: ["db"],
            command: ["sh", "-c", "echo not listening on 6379; exec sleep 600"],
            variables: [],
          },
        ],
        script: ["echo the job went on"],
      }),
      signal: new AbortController().signal,
      trace: (data) => {
        trace += typeof data === "string" ? data : Buffer.from(data).toString();
      },
    });
    expect(result).toMatchObject({ state: "success" });
    expect(trace).toContain("Waiting for services to be up and running (timeout 2 seconds)...");
    expect(trace).toMatch(
      /\n\*\*\* WARNING: Service (buildsim-e2ewait-\S+-svc-0-buildsim-test__busybox-port) probably didn't start properly\.\n\nHealth check error:\nservice "\1-wait-for-service" timeout\n\nHealth check container logs:\n\n\nService container logs:\n\S+Z not listening on 6379\n\n\*{9}\n\n/,
    );
    expect(trace).toContain("the job went on");
    expect(leftovers()).toEqual({ containers: "", networks: "" });
  });
});

describe("untracked files and cache:key:prefix", { timeout: 120_000 }, () => {
  // `untracked: true` adds the files the job made (those not in the repository, .gitignore or not) to the
  // artifacts and to the cache; `artifacts:exclude` applies to them too. Runner logs "untracked: found N
  // files" (commands/helpers/file_archiver.go). https://docs.gitlab.com/ci/yaml/#artifactsuntracked
  it("puts the files a job made into its artifacts and its cache with untracked: true", async () => {
    const data = path.join(work, "untracked-data");
    const p = runs.project(
      `stages: [make, use]
make:
  stage: make
  image: ${BUSYBOX_IMAGE}
  script: [mkdir -p gen, echo made > gen/made.txt, echo log > build.log]
  artifacts: { untracked: true, exclude: [build.log] }
  cache: { key: made, untracked: true }
use:
  stage: use
  image: ${BUSYBOX_IMAGE}
  script: ['echo "artifact=$(cat gen/made.txt) log=$(test -e build.log && echo yes || echo no)"']
`,
      data,
      { "tracked.txt": "a source file\n" },
    );
    const first = runs.start(p);
    expect(await first.exit).toBe(0);
    // Artifacts: gen/made.txt only (build.log excluded); cache: both; never the source file.
    expect(first.output).toContain("untracked: found 1 files");
    expect(first.output).toContain("untracked: found 2 files");
    expect(first.output).toContain("artifact=made log=no");
    writeFileSync(
      path.join(p.dir, ".gitlab-ci.yml"),
      `reuse:
  image: ${BUSYBOX_IMAGE}
  cache: { key: made, untracked: true, policy: pull }
  script: ['echo "cached=$(cat gen/made.txt) $(cat build.log)"']
`,
    );
    const second = runs.start(p);
    expect(await second.exit).toBe(0);
    expect(second.output).toContain("Checking cache for made-protected...");
    expect(second.output).toContain("cached=made log");
  });

  // `cache:key:files` with `prefix:`: the key is `prefix-<SHA1 of the files' blob ids>`, the prefix with
  // variables expanded (lib/gitlab/ci/pipeline/seed/build/cache.rb); https://docs.gitlab.com/ci/yaml/#cachekeyprefix
  it("keys a cache by key:files after its prefix, so changing the file starts a new cache", async () => {
    const data = path.join(work, "prefix-data");
    const yaml = `deps:
  image: ${BUSYBOX_IMAGE}
  cache:
    key: { files: [lock.txt], prefix: $CI_JOB_NAME-v1 }
    paths: [vendor/]
  script: ['test -e vendor/lib.txt && echo "restored $(cat vendor/lib.txt)" || (mkdir -p vendor && cp lock.txt vendor/lib.txt)']
`;
    const p = runs.project(yaml, data, { "lock.txt": "lock one\n" });
    const first = runs.start(p);
    expect(await first.exit).toBe(0);
    const one = `deps-v1-${filesKeyDigest("lock one\n")}-protected`;
    expect(first.output).toContain(`Creating cache ${one}...`);

    const second = runs.start(p);
    expect(await second.exit).toBe(0);
    expect(second.output).toContain(`Checking cache for ${one}...`);
    expect(second.output).toContain("restored lock one");

    writeFileSync(path.join(p.dir, "lock.txt"), "lock two\n");
    const third = runs.start(p);
    expect(await third.exit).toBe(0);
    const two = `deps-v1-${filesKeyDigest("lock two\n")}-protected`;
    expect(third.output).toContain(`Failed to extract cache: ${two} not found`);
    expect(third.output).not.toContain("restored lock");
  });
});

/** A job of the busybox image running `script`, with `services`. */
function dockerJob(o: { script: string[]; services: JobPayload["services"] }): JobPayload {
  return {
    id: 1,
    token: "job-token",
    name: "job",
    stage: "test",
    projectId: 1,
    projectPath: "e2e/app",
    ref: "main",
    refType: "branch",
    sha: "c".repeat(40),
    beforeSha: null,
    timeoutS: 600,
    steps: [{ name: "script", script: o.script, timeoutS: 600, when: "on_success", allowFailure: false }],
    variables: [],
    artifacts: null,
    dependencies: [],
    allowFailureExitCodes: [],
    image: { name: BUSYBOX_IMAGE },
    services: o.services,
    cache: [],
    sourceDir: null,
  };
}
