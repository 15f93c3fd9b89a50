import { describe, expect, it } from "vitest";
import { makeJobPayload } from "../../../packages/client/src/test-support/make-job-payload.js";
import { createSimulateExecutor } from "./simulate-executor.js";
import { FakeClock } from "./test-support/fake-clock.js";
import { runExecutor } from "./test-support/run-executor.js";

const HEADER = 'Running with buildsim-runner 1.2.3\n  on sim-1\nPreparing the "simulate" executor\n';

function setUp() {
  const clock = new FakeClock();
  const executor = createSimulateExecutor({ runnerName: "sim-1", runnerVersion: "1.2.3", clock });
  return { clock, executor };
}

describe("simulate executor", () => {
  it("prints exactly the echoed text, paced lines and sleeps, and succeeds", async () => {
    const { clock, executor } = setUp();
    const run = runExecutor(
      executor,
      makeJobPayload({
        id: 1,
        script: ["echo hello  world", "sleep 250", "lines 3 2 tick", "# a comment", "echo done"],
      }),
    );
    expect(await run.result).toEqual({ state: "success", exitCode: 0 });
    expect(run.trace().toString()).toBe(
      `${HEADER}\nExecuting "step_script" stage of the job script\n` +
        "$ echo hello  world\nhello  world\n$ sleep 250\n$ lines 3 2 tick\ntick 1\ntick 2\ntick 3\n" +
        "$ # a comment\n$ echo done\ndone\n\nJob succeeded\n",
    );
    expect(clock.now()).toBe(250 + 500 + 500);
  });

  it("fails with the exit code of `exit N` and runs no later command", async () => {
    const { executor } = setUp();
    const run = runExecutor(executor, makeJobPayload({ id: 2, script: ["echo a", "exit 3", "echo never"] }));
    expect(await run.result).toEqual({ state: "failed", exitCode: 3, failureReason: "script_failure" });
    expect(run.trace().toString()).toMatch(/\$ exit 3\n\nERROR: Job failed: exit code 3\n$/);
    expect(run.trace().toString()).not.toContain("never");
  });

  it("prints the text of `fail` and fails with exit code 1", async () => {
    const { executor } = setUp();
    const run = runExecutor(executor, makeJobPayload({ id: 3, script: ["fail it broke"] }));
    expect(await run.result).toEqual({ state: "failed", exitCode: 1, failureReason: "script_failure" });
    expect(run.trace().toString()).toContain("$ fail it broke\nit broke\n\nERROR: Job failed: exit code 1\n");
  });

  it("fails an unknown command with a clear trace line and script_failure", async () => {
    const { executor } = setUp();
    const run = runExecutor(executor, makeJobPayload({ id: 4, script: ["make all"] }));
    expect(await run.result).toEqual({ state: "failed", exitCode: 127, failureReason: "script_failure" });
    expect(run.trace().toString()).toContain(
      '$ make all\nERROR: simulate: unknown command "make" (known: echo, sleep, exit, lines, fail)\n',
    );
  });

  it("runs after_script after a failure and keeps the job's outcome", async () => {
    const { executor } = setUp();
    const job = makeJobPayload({ id: 5, script: ["exit 2"] });
    job.steps.push({
      name: "after_script",
      script: ["echo cleanup", "exit 9"],
      timeoutS: 300,
      when: "always",
      allowFailure: false,
    });
    const run = runExecutor(executor, job);
    expect(await run.result).toEqual({ state: "failed", exitCode: 2, failureReason: "script_failure" });
    expect(run.trace().toString()).toContain(
      "\nRunning after_script\n$ echo cleanup\ncleanup\n$ exit 9\nWARNING: after_script failed with exit code 9\n\nERROR: Job failed: exit code 2\n",
    );
  });

  it("reports an allowed exit code like any other so the server can apply allow_failure", async () => {
    const { executor } = setUp();
    const run = runExecutor(
      executor,
      makeJobPayload({ id: 6, script: ["exit 42"], allowFailureExitCodes: [42] }),
    );
    expect(await run.result).toEqual({ state: "failed", exitCode: 42, failureReason: "script_failure" });
  });

  it("stops at the job timeout with stuck_or_timeout_failure", async () => {
    const { clock, executor } = setUp();
    const run = runExecutor(
      executor,
      makeJobPayload({ id: 7, timeoutS: 90, script: ["lines 1000 1", "echo never"] }),
    );
    expect(await run.result).toEqual({
      state: "failed",
      exitCode: null,
      failureReason: "stuck_or_timeout_failure",
    });
    expect(clock.now()).toBe(90_000);
    expect(run.trace().toString()).toMatch(
      /line 90\n\nERROR: Job failed: execution took longer than 1m30s seconds\n$/,
    );
  });

  it("stops when canceled, then runs after_script with CI_JOB_STATUS=canceled (GitLab 17.0+)", async () => {
    // https://docs.gitlab.com/ci/yaml/script/#skip-after_script-commands-if-a-job-is-canceled
    const { executor } = setUp();
    const job = makeJobPayload({ id: 8, script: ["echo started", "sleep 100000"] });
    job.steps.push({
      name: "after_script",
      script: ["echo after"],
      timeoutS: 300,
      when: "always",
      allowFailure: false,
    });
    const run = runExecutor(executor, job);
    await run.traceContains("$ sleep 100000\n");
    run.abort("canceled");
    expect(await run.result).toEqual({ state: "failed", exitCode: null });
    expect(run.trace().toString()).toMatch(
      /\$ sleep 100000\n\nRunning after_script\n\$ echo after\nafter\n\nERROR: Job failed: canceled\n$/,
    );
  });
});
