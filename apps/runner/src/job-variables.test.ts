// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitLab variable references are the subject here.
// Runner-side variables, with real bash jobs: https://docs.gitlab.com/ci/variables/where_variables_can_be_used/
// (the runner expands `artifacts:paths`, `image`, `services`; variable values once with `os.Expand`).

import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { JobPayload } from "@buildsim/core";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeJobPayload } from "../../../packages/client/src/test-support/make-job-payload.js";
import { expandJobVariables } from "./job-variables.js";
import { createShellExecutor } from "./shell-executor.js";
import { type ArtifactServer, startArtifactServer } from "./test-support/artifact-server.js";
import { runExecutor } from "./test-support/run-executor.js";

let server: ArtifactServer;
let tempDir: string;
beforeAll(async () => {
  server = await startArtifactServer();
  tempDir = await mkdtemp(path.join(os.tmpdir(), "buildsim-vars-test-"));
});
afterAll(async () => {
  await server.close();
  await rm(tempDir, { recursive: true, force: true });
});

const executor = () =>
  createShellExecutor({
    runnerName: "shell-1",
    runnerVersion: "1.2.3",
    serverUrl: server.url,
    buildsDir: path.join(tempDir, "builds"),
    killGraceMs: 200,
  });

describe("expandJobVariables", () => {
  it("expands once with os.Expand: $$ becomes $, unknown names empty, raw and file values untouched", () => {
    expect(
      expandJobVariables([
        { key: "A", value: "a", public: true },
        { key: "B", value: "$A-${A}-$$A-$NOPE", public: true },
        { key: "R", value: "$A", public: true, raw: true },
        { key: "F", value: "/tmp/f", public: false, file: true },
        { key: "USE_F", value: "cat $F", public: true },
      ]),
    ).toEqual({ A: "a", B: "a-a-$A-", R: "$A", F: "/tmp/f", USE_F: "cat /tmp/f" });
  });
});

describe("the shell executor's variables", () => {
  it("gives after_script CI_JOB_STATUS: success, or failed after a failing script", async () => {
    const afterScript = (job: JobPayload) => {
      job.steps.push({
        name: "after_script",
        script: ['echo "status=$CI_JOB_STATUS"'],
        timeoutS: 60,
        when: "always",
        allowFailure: true,
      });
      return job;
    };
    const ok = runExecutor(executor(), afterScript(makeJobPayload({ id: 301, script: ["true"] })));
    await ok.result;
    expect(ok.trace().toString()).toContain("status=success\n");
    const failed = runExecutor(executor(), afterScript(makeJobPayload({ id: 302, script: ["exit 4"] })));
    await failed.result;
    expect(failed.trace().toString()).toContain("status=failed\n");
  });

  it("writes a file-type variable to a file whose path is the value, and removes it after the job", async () => {
    // https://docs.gitlab.com/ci/variables/#use-file-type-cicd-variables
    const run = runExecutor(
      executor(),
      makeJobPayload({
        id: 303,
        script: ['echo "path=$KUBECONFIG"', 'cat "$KUBECONFIG"; echo', 'echo "ref=$USES_FILE"'],
        variables: [
          { key: "KUBECONFIG", value: "apiVersion: v1", public: false, file: true },
          { key: "USES_FILE", value: "--config=$KUBECONFIG", public: true },
        ],
      }),
    );
    expect(await run.result).toEqual({ state: "success", exitCode: 0 });
    const trace = run.trace().toString();
    const file = /^path=(\S+)$/m.exec(trace)?.[1] ?? "";
    expect(file.endsWith(`${path.sep}KUBECONFIG`)).toBe(true);
    expect(trace).toContain("apiVersion: v1\n");
    expect(trace).toContain(`ref=--config=${file}\n`);
    expect(existsSync(file)).toBe(false);
  });

  it("expands variables in artifacts:paths and turns $$ in a value into a literal $", async () => {
    const run = runExecutor(
      executor(),
      makeJobPayload({
        id: 304,
        script: ["mkdir -p out-linux && echo bin > out-linux/app", 'echo "price=$PRICE"'],
        variables: [
          { key: "TARGET", value: "linux", public: true },
          { key: "PRICE", value: "$$5", public: true },
        ],
        artifacts: {
          name: "app-$TARGET",
          paths: ["out-$TARGET/"],
          exclude: [],
          when: "on_success",
          expireIn: null,
        },
      }),
    );
    expect(await run.result).toEqual({ state: "success", exitCode: 0 });
    expect(run.trace().toString()).toContain("price=$5\n");
    expect(run.trace().toString()).toContain("out-linux/: found 1 matching artifact files");
    const upload = server.uploads.find((u) => u.jobId === 304)!;
    expect(Object.keys(unzipSync(new Uint8Array(upload.body)))).toEqual(["out-linux/app"]);
  });

  it("reports the image and services with their variables expanded", async () => {
    const run = runExecutor(
      executor(),
      makeJobPayload({
        id: 305,
        script: ["true"],
        image: { name: "ruby:$RUBY_VERSION" },
        services: [{ name: "postgres:${PG}", aliases: [], variables: [] }],
        variables: [
          { key: "RUBY_VERSION", value: "3.3", public: true },
          { key: "PG", value: "16", public: true },
        ],
      }),
    );
    await run.result;
    expect(run.trace().toString()).toContain('ignoring image "ruby:3.3" and services postgres:16');
  });
});
