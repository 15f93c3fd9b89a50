import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import type { JobPayload } from "@buildsim/core";
import { strToU8, unzipSync, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeJobPayload } from "../../../packages/client/src/test-support/make-job-payload.js";
import { createShellExecutor, type ShellExecutorOptions } from "./shell-executor.js";
import { type ArtifactServer, startArtifactServer } from "./test-support/artifact-server.js";
import { isProcessAlive } from "./test-support/is-process-alive.js";
import { runExecutor } from "./test-support/run-executor.js";

let server: ArtifactServer;
let tempDir: string;

beforeAll(async () => {
  server = await startArtifactServer();
  tempDir = await mkdtemp(path.join(os.tmpdir(), "buildsim-shell-test-"));
});
afterAll(async () => {
  await server.close();
  await rm(tempDir, { recursive: true, force: true });
});

function executor(options: Partial<ShellExecutorOptions> = {}) {
  return createShellExecutor({
    runnerName: "shell-1",
    runnerVersion: "1.2.3",
    serverUrl: server.url,
    buildsDir: path.join(tempDir, "builds"),
    killGraceMs: 200,
    ...options,
  });
}

function job(id: number, script: string[], extra: Partial<JobPayload> = {}): JobPayload {
  return makeJobPayload({ id, script, ...extra });
}

describe("shell executor", () => {
  it("runs each command with bash, echoing it, with job variables set and stderr interleaved with stdout", async () => {
    const run = runExecutor(
      executor(),
      job(
        1,
        [
          'echo "$GREETING from $CI_JOB_ID"',
          "echo out; echo err >&2; echo out2",
          'test "$PWD" = "$CI_PROJECT_DIR"',
        ],
        {
          variables: [
            { key: "CI_JOB_ID", value: "1", public: true },
            { key: "GREETING", value: "hello", public: false },
          ],
        },
      ),
    );
    expect(await run.result).toEqual({ state: "success", exitCode: 0 });
    expect(run.trace().toString()).toBe(
      'Running with buildsim-runner 1.2.3\n  on shell-1\nPreparing the "shell" executor\n' +
        '\nExecuting "step_script" stage of the job script\n' +
        '$ echo "$GREETING from $CI_JOB_ID"\nhello from 1\n' +
        "$ echo out; echo err >&2; echo out2\nout\nerr\nout2\n" +
        '$ test "$PWD" = "$CI_PROJECT_DIR"\n' +
        "\nJob succeeded\n",
    );
  });

  it("stops at the first failing command and reports its exit code as script_failure", async () => {
    const run = runExecutor(executor(), job(2, ["echo before", "(exit 4)", "echo never"]));
    expect(await run.result).toEqual({ state: "failed", exitCode: 4, failureReason: "script_failure" });
    expect(run.trace().toString()).toMatch(/\$ \(exit 4\)\n\nERROR: Job failed: exit code 4\n$/);
    expect(run.trace().toString()).not.toContain("never");
  });

  it("passes the output bytes through unchanged, invalid UTF-8 included", async () => {
    const run = runExecutor(executor(), job(3, ["printf '\\xff\\xfe\\x00ok\\r\\n'"]));
    await run.result;
    expect(run.trace().includes(Buffer.from([0xff, 0xfe, 0x00, 0x6f, 0x6b, 0x0d, 0x0a]))).toBe(true);
  });

  it("kills the whole process group on cancel, grandchildren included", async () => {
    const pidDir = await mkdtemp(path.join(tempDir, "pids-"));
    const run = runExecutor(
      executor(),
      job(4, [
        `(sleep 60 & echo $! > ${pidDir}/grandchild.pid; echo grandchild-started; wait) & echo $! > ${pidDir}/subshell.pid`,
        "sleep 60",
      ]),
    );
    await run.traceContains("grandchild-started\n");
    await run.traceContains("$ sleep 60\n");
    const grandchild = Number(await readFile(path.join(pidDir, "grandchild.pid"), "utf8"));
    const subshell = Number(await readFile(path.join(pidDir, "subshell.pid"), "utf8"));
    expect(await isProcessAlive(grandchild)).toBe(true);
    run.abort("canceled");
    expect(await run.result).toEqual({ state: "failed", exitCode: null });
    expect(await isProcessAlive(grandchild)).toBe(false);
    expect(await isProcessAlive(subshell)).toBe(false);
    expect(run.trace().toString()).toMatch(/ERROR: Job failed: canceled\n$/);
  });

  it("runs after_script of a canceled job with CI_JOB_STATUS=canceled, the script killed first", async () => {
    // GitLab 17.0+: "after_script commands run when a job is canceled" with CI_JOB_STATUS=canceled
    // (https://docs.gitlab.com/ci/yaml/script/#skip-after_script-commands-if-a-job-is-canceled).
    const canceled = job(42, ["echo started > state.txt", "sleep 60"]);
    canceled.steps.push({
      name: "after_script",
      script: ['echo "status=$CI_JOB_STATUS after $(cat state.txt)"'],
      timeoutS: 10,
      when: "always",
      allowFailure: false,
    });
    const run = runExecutor(executor(), canceled);
    await run.traceContains("$ sleep 60\n");
    run.abort("canceled");
    expect(await run.result).toEqual({ state: "failed", exitCode: null });
    expect(run.trace().toString()).toMatch(
      /\$ sleep 60\n\nRunning after_script\n.*\nstatus=canceled after started\n\nERROR: Job failed: canceled\n$/s,
    );
  });

  it("bounds a canceled job's after_script by its own timeout", async () => {
    const canceled = job(43, ["sleep 60"]);
    canceled.steps.push({
      name: "after_script",
      script: ["sleep 60"],
      timeoutS: 0.3,
      when: "always",
      allowFailure: false,
    });
    const run = runExecutor(executor(), canceled);
    await run.traceContains("$ sleep 60\n");
    run.abort("canceled");
    expect(await run.result).toEqual({ state: "failed", exitCode: null });
    expect(run.trace().toString()).toContain("WARNING: after_script timed out after 300ms\n");
  });

  it("SIGKILLs processes that ignore SIGTERM once the grace period is over", async () => {
    const pidDir = await mkdtemp(path.join(tempDir, "pids-"));
    const run = runExecutor(
      executor({ killGraceMs: 100 }),
      job(5, [`trap '' TERM; sleep 60 & echo $! > ${pidDir}/stubborn.pid; echo stubborn-started; wait`]),
    );
    await run.traceContains("stubborn-started\n");
    const stubborn = Number(await readFile(path.join(pidDir, "stubborn.pid"), "utf8"));
    run.abort("canceled");
    await run.result;
    expect(await isProcessAlive(stubborn)).toBe(false);
  });

  it("kills the job at its timeout and fails it with stuck_or_timeout_failure", async () => {
    const run = runExecutor(executor(), job(6, ["echo waiting", "sleep 60"], { timeoutS: 0.3 }));
    expect(await run.result).toEqual({
      state: "failed",
      exitCode: null,
      failureReason: "stuck_or_timeout_failure",
    });
    expect(run.trace().toString()).toMatch(
      /\$ sleep 60\n\nERROR: Job failed: execution took longer than 300ms seconds\n$/,
    );
  });

  // The server times a job out from its claim, so its cancel ("timeout") usually comes before the runner's
  // own timer: the job still ends as a timeout, and its after_script still runs (GitLab runs after_script
  // after a timeout: https://docs.gitlab.com/ci/yaml/#after_script).
  it("still runs after_script when the server's timeout cancel stops the job, and fails it as a timeout", async () => {
    const timedOut = job(61, ["echo waiting", "sleep 60"]);
    timedOut.steps.push({
      name: "after_script",
      script: ['echo "after: $CI_JOB_STATUS"'],
      timeoutS: 60,
      when: "always",
      allowFailure: false,
    });
    const run = runExecutor(executor(), timedOut);
    await run.traceContains("$ sleep 60\n");
    run.abort("timeout");
    expect(await run.result).toEqual({
      state: "failed",
      exitCode: null,
      failureReason: "stuck_or_timeout_failure",
    });
    expect(run.trace().toString()).toContain(
      '\nRunning after_script\n$ echo "after: $CI_JOB_STATUS"\nafter: failed\n',
    );
  });

  it("runs after_script in the same directory after a failure, without changing the outcome", async () => {
    const failing = job(7, ["echo state > state.txt", "exit 3"]);
    failing.steps.push({
      name: "after_script",
      script: ["cat state.txt", "exit 5"],
      timeoutS: 60,
      when: "always",
      allowFailure: false,
    });
    const run = runExecutor(executor(), failing);
    expect(await run.result).toEqual({ state: "failed", exitCode: 3, failureReason: "script_failure" });
    expect(run.trace().toString()).toContain(
      "\nRunning after_script\n$ cat state.txt\nstate\n$ exit 5\nWARNING: after_script failed with exit code 5\n",
    );
  });

  it("zips the files artifacts:paths select, minus exclude, and uploads them with the job token and expire_in", async () => {
    const build = job(
      8,
      [
        "mkdir -p dist/sub && echo a > dist/a.txt && echo b > dist/sub/b.log && echo t > dist/sub/skip.tmp",
        "echo '<xml/>' > report.xml && echo no > other.txt",
      ],
      {
        artifacts: {
          name: null,
          paths: ["dist/", "*.xml", "missing/"],
          exclude: ["dist/**/*.tmp"],
          when: "on_success",
          expireIn: "1 week",
        },
      },
    );
    const run = runExecutor(executor(), build);
    expect(await run.result).toEqual({ state: "success", exitCode: 0 });
    const upload = server.uploads.find((u) => u.jobId === 8)!;
    expect(upload).toMatchObject({
      jobToken: "job-token-8",
      contentType: "application/zip",
      expireIn: "1 week",
    });
    const files = unzipSync(new Uint8Array(upload.body));
    expect(Object.keys(files).sort()).toEqual(["dist/a.txt", "dist/sub/b.log", "report.xml"]);
    expect(Buffer.from(files["dist/sub/b.log"]!).toString()).toBe("b\n");
    expect(run.trace().toString()).toContain(
      "\nUploading artifacts for successful job\nUploading artifacts...\n" +
        "dist/: found 2 matching artifact files and directories\n" +
        "*.xml: found 1 matching artifact files and directories\n" +
        "WARNING: missing/: no matching files. Ensure that the artifact path is relative to the working directory\n" +
        'Uploading artifacts as "archive" to coordinator... 201 Created  id=8 responseStatus=201 Created\n',
    );
  });

  it("honours artifacts:when — on_success skips a failed job, always uploads it", async () => {
    const spec = (when: "on_success" | "always") => ({
      name: null,
      paths: ["out.txt"],
      exclude: [],
      when,
      expireIn: null,
    });
    await runExecutor(executor(), job(9, ["echo x > out.txt", "exit 1"], { artifacts: spec("on_success") }))
      .result;
    await runExecutor(executor(), job(10, ["echo y > out.txt", "exit 1"], { artifacts: spec("always") }))
      .result;
    expect(server.uploads.some((u) => u.jobId === 9)).toBe(false);
    const upload = server.uploads.find((u) => u.jobId === 10)!;
    expect(upload.expireIn).toBeNull();
    expect(Buffer.from(unzipSync(new Uint8Array(upload.body))["out.txt"]!).toString()).toBe("y\n");
  });

  it("uploads the artifacts:reports:junit files of a failed job as a junit report, one gzip member per file", async () => {
    // "Artifacts created for artifacts:reports are always uploaded, regardless of the job results"
    // (https://docs.gitlab.com/ci/yaml/#artifactsreports); GitLab Runner sends junit as gzip.
    const build = job(
      41,
      [
        "mkdir -p out && echo '<testsuite a=\"1\"/>' > out/a.xml && echo '<testsuite b=\"2\"/>' > out/b.xml",
        "exit 1",
      ],
      {
        variables: [{ key: "REPORTS", value: "out", public: true }],
        artifacts: {
          name: null,
          paths: [],
          exclude: [],
          when: "on_success",
          expireIn: null,
          reportsJunit: ["$REPORTS/*.xml", "missing.xml"],
        },
      },
    );
    const run = runExecutor(executor(), build);
    expect(await run.result).toEqual({ state: "failed", exitCode: 1, failureReason: "script_failure" });
    const upload = server.uploads.find((u) => u.jobId === 41)!;
    expect(upload).toMatchObject({ artifactType: "junit", contentType: "application/gzip" });
    // Node's gunzip joins the members: both files, in path order.
    expect(gunzipSync(upload.body).toString()).toBe('<testsuite a="1"/>\n<testsuite b="2"/>\n');
    expect(run.trace().toString()).toContain(
      "\nUploading artifacts for failed job\nUploading artifacts...\n" +
        "out/*.xml: found 2 matching artifact files and directories\n" +
        "WARNING: missing.xml: no matching files. Ensure that the artifact path is relative to the working directory\n" +
        'Uploading artifacts as "junit" to coordinator... 201 Created  id=41 responseStatus=201 Created\n',
    );
  });

  it("fails with api_failure when the artifacts cannot be uploaded", async () => {
    const gone = await startArtifactServer();
    await gone.close();
    const port = new URL(gone.url).port;
    const run = runExecutor(
      executor({ serverUrl: gone.url }),
      job(15, ["echo x > out.txt"], {
        artifacts: { name: null, paths: ["out.txt"], exclude: [], when: "on_success", expireIn: null },
      }),
    );
    expect(await run.result).toEqual({ state: "failed", exitCode: null, failureReason: "api_failure" });
    expect(run.trace().toString()).toMatch(
      new RegExp(
        `ERROR: Uploading artifacts as "archive" to coordinator\\.\\.\\. connect ECONNREFUSED 127\\.0\\.0\\.1:${port} {2}id=15\n` +
          `\nERROR: Job failed: could not upload artifacts: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\n$`,
      ),
    );
  });

  it("downloads and unpacks the dependencies' artifacts before the script runs", async () => {
    server.archives.set(50, {
      token: "dep-token-50",
      body: zipSync({ "lib/dep.txt": strToU8("from build 50\n") }),
    });
    const run = runExecutor(
      executor(),
      job(11, ["cat lib/dep.txt"], {
        dependencies: [
          {
            id: 50,
            name: "compile",
            token: "dep-token-50",
            artifactsFile: { filename: "artifacts.zip", size: 1 },
          },
          { id: 51, name: "lint", token: "dep-token-51", artifactsFile: null },
        ],
      }),
    );
    expect(await run.result).toEqual({ state: "success", exitCode: 0 });
    expect(run.trace().toString()).toContain(
      "\nDownloading artifacts\nDownloading artifacts for compile (50)...\n" +
        "Downloading artifacts from coordinator... ok  id=50 responseStatus=200 OK\n",
    );
    expect(run.trace().toString()).toContain("$ cat lib/dep.txt\nfrom build 50\n");
  });

  it("fails with missing_dependency_failure when a dependency's artifacts are not there", async () => {
    const run = runExecutor(
      executor(),
      job(12, ["echo never"], {
        dependencies: [
          { id: 404, name: "gone", token: "t", artifactsFile: { filename: "artifacts.zip", size: 1 } },
        ],
      }),
    );
    expect(await run.result).toEqual({
      state: "failed",
      exitCode: null,
      failureReason: "missing_dependency_failure",
    });
    expect(run.trace().toString()).toMatch(
      /ERROR: Job failed: could not download the artifacts of gone \(404\): 404 Not Found\n$/,
    );
  });

  it("copies the job's sourceDir into a fresh directory, without .git and .buildsim, leaving the source untouched", async () => {
    const source = await mkdtemp(path.join(tempDir, "source-"));
    await mkdir(path.join(source, ".git"));
    await mkdir(path.join(source, ".buildsim"));
    await mkdir(path.join(source, "src"));
    await writeFile(path.join(source, "src", "main.txt"), "main\n");
    await writeFile(path.join(source, ".gitlab-ci.yml"), "job: {}\n");
    const run = runExecutor(
      executor(),
      job(13, ["ls -A", "cat src/main.txt", "echo new > src/new.txt"], { sourceDir: source }),
    );
    expect(await run.result).toEqual({ state: "success", exitCode: 0 });
    expect(run.trace().toString()).toContain(`\nCopying sources from ${source}\n`);
    expect(run.trace().toString()).toContain("$ ls -A\n.gitlab-ci.yml\nsrc\n$ cat src/main.txt\nmain\n");
    await expect(readFile(path.join(source, "src", "new.txt"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("gives a job in a git work tree what a clone would hold plus uncommitted files git does not ignore", async () => {
    const source = await mkdtemp(path.join(tempDir, "repo-"));
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@x", ...args], {
        cwd: source,
        stdio: "ignore",
      });
    git("init", "-q");
    await writeFile(path.join(source, ".gitignore"), "node_modules/\n*.log\n");
    await writeFile(path.join(source, "tracked.txt"), "t\n");
    git("add", ".");
    git("commit", "-qm", "init");
    await mkdir(path.join(source, "node_modules", "dep"), { recursive: true });
    await writeFile(path.join(source, "node_modules", "dep", "index.js"), "x\n");
    await writeFile(path.join(source, "debug.log"), "x\n");
    await writeFile(path.join(source, "untracked.txt"), "u\n");
    const run = runExecutor(executor(), job(15, ["find . -type f | sort"], { sourceDir: source }));
    expect(await run.result).toEqual({ state: "success", exitCode: 0 });
    expect(run.trace().toString()).toContain(
      "$ find . -type f | sort\n./.gitignore\n./tracked.txt\n./untracked.txt\n",
    );
  });

  it("rejects when bash cannot be started, which the runner reports as a system failure", async () => {
    const run = runExecutor(executor({ baseEnv: { PATH: "/nonexistent" } }), job(14, ["echo hi"]));
    await expect(run.result).rejects.toThrow(/ENOENT/);
  });
});
