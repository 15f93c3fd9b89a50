// `buildsim record` as a user runs it (the built bin in a child process) against a real buildsim on port 0:
// requests pass through its proxy, Ctrl-C writes a seed, and a server started from that seed answers the
// same requests with the same bytes. Bad targets get one line and exit 1.

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningServer, startServer } from "@buildsim/server";
import { afterEach, describe, expect, it } from "vitest";
import { testDatabase } from "../../../../scripts/test-database.mjs";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/buildsim.mjs");
const SHA1 = "a".repeat(40);
const SHA2 = "b".repeat(40);
/** Not UTF-8: an ANSI colour, then bytes no text has. */
const BINARY_TRACE = Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0x6d, 0xff, 0xfe, 0x00, 0x0a]);

/** Two pipelines: finished jobs with traces (one binary), a zip, a manual job, a runner's job. */
const TARGET_SEED = `
web_url: https://gitlab.example.com
users:
  - { id: 1, username: root, name: Root, admin: true, tokens: [tok-root], bio: "ops" }
  - { id: 7, username: dev, name: Dev Eloper, tokens: [tok-dev] }
projects:
  - { id: 3, path: acme/app, public_builds: false, members: [{ user: dev, role: developer }] }
commits:
  - { project: 3, sha: "${SHA1}", message: "First\\n\\nbody", author_name: Ann, created_at: "2026-01-01T09:00:00.000+01:00" }
  - { project: 3, sha: "${SHA2}", message: "Second", parent_ids: ["${SHA1}"] }
runners:
  - { id: 4, description: box, shared: false, projects: [3] }
pipelines:
  - { id: 10, project: 3, sha: "${SHA1}", ref: main, user: root, created_at: "2026-01-01T10:00:00.000Z" }
  - { id: 12, project: 3, sha: "${SHA2}", ref: feature, user: dev, created_at: "2026-01-02T10:00:00.000Z" }
builds:
  - id: 20
    pipeline: 10
    name: compile
    status: success
    user: root
    created_at: "2026-01-01T10:00:00.000Z"
    queued_at: "2026-01-01T10:00:01.000Z"
    started_at: "2026-01-01T10:00:03.500Z"
    finished_at: "2026-01-01T10:01:00.000Z"
    coverage: 81.5
    trace: "compiling\\ndone\\n"
    artifacts: { files: { out/a.txt: "A\\n", out/b.txt: "B\\n" }, expire_at: "2099-01-01T00:00:00.000Z" }
  - { id: 21, pipeline: 10, name: test, status: failed, failure_reason: script_failure, allow_failure: true, user: root, started_at: "2026-01-01T10:01:00.000Z", finished_at: "2026-01-01T10:02:00.000Z", trace_base64: "${BINARY_TRACE.toString("base64")}" }
  - { id: 22, pipeline: 10, name: deploy, stage: deploy, stage_idx: 1, when: manual, status: manual }
  - { id: 25, pipeline: 12, name: lint, status: success, user: dev, runner: 4, tags: [linux], started_at: "2026-01-02T10:00:05.000Z", finished_at: "2026-01-02T10:00:09.000Z", trace: "ok\\n" }
`;

/** The reads compared: jobs (one and the list), pipelines, traces and the archive. */
const READS = [
  "/api/v4/projects/3/jobs/20",
  "/api/v4/projects/3/jobs/21",
  "/api/v4/projects/acme%2Fapp/jobs?per_page=100",
  "/api/v4/projects/3/pipelines/10",
  "/api/v4/projects/3/pipelines/12",
  "/api/v4/projects/3/pipelines/10/jobs",
  "/api/v4/projects/3/jobs/20/trace",
  "/api/v4/projects/3/jobs/21/trace",
  "/api/v4/projects/3/jobs/20/artifacts",
];

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const scratchDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "buildsim-record-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

async function serve(options: { seedText?: string; seedFile?: string }): Promise<RunningServer> {
  const server = await startServer({
    port: 0,
    db: testDatabase("record"),
    log: () => {},
    webUiDir: false,
    ...options,
  });
  cleanups.push(() => server.close());
  return server;
}

/** The bin with `args`; resolves once it printed `waitFor` (or exited), with what it printed so far. */
function record(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [BIN, "record", ...args], {
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  cleanups.push(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => {
    out += d;
  });
  child.stderr!.on("data", (d) => {
    err += d;
  });
  const exited = once(child, "exit").then(([code]) => ({ code: code as number | null, out, err }));
  const proxyUrl = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => {
      const m = /proxying (http:\/\/\S+) to/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((r) => reject(new Error(`record exited ${r.code}: ${r.err}`)));
  });
  // Tests of a refused start never await the URL.
  proxyUrl.catch(() => {});
  return { child, proxyUrl, exited };
}

const bodyOf = async (base: string, p: string, token?: string) => {
  const res = await fetch(`${base}${p}`, token ? { headers: { "PRIVATE-TOKEN": token } } : {});
  expect(res.status, p).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};

describe("buildsim record", () => {
  it("writes what passed through as a seed that answers the same reads with the same bytes", async () => {
    const target = await serve({ seedText: TARGET_SEED });
    const out = path.join(scratchDir(), "recorded.json");
    const run = record(["--target", target.url, "--token", "tok-root", "--out", out, "--port", "0"]);
    const proxy = await run.proxyUrl;
    const seen = new Map<string, Buffer>();
    // One read with the client's own token, the rest with the one the proxy adds.
    seen.set(READS[0]!, await bodyOf(proxy, READS[0]!, "tok-root"));
    for (const read of READS.slice(1)) seen.set(read, await bodyOf(proxy, read));
    // What went through is what the target answers.
    expect(seen.get(READS[0]!)!.equals(await bodyOf(target.url, READS[0]!, "tok-root"))).toBe(true);
    run.child.kill("SIGINT");
    const done = await run.exited;
    expect(done.err).toBe("");
    expect(done.code).toBe(0);
    expect(done.out).toMatch(/wrote .*recorded\.json: 1 project\(s\), 2 pipeline\(s\), 4 job\(s\)/);

    const text = readFileSync(out, "utf8");
    expect(text).not.toContain("tok-root");
    expect(text).not.toContain("tok-dev");
    const replay = await serve({ seedFile: out });
    for (const read of READS) {
      const again = await bodyOf(replay.url, read, "buildsim-recorded-token");
      expect(again.toString("latin1"), read).toBe(seen.get(read)!.toString("latin1"));
    }
  });

  it("records a project named by --project without any request through the proxy", async () => {
    const target = await serve({ seedText: TARGET_SEED });
    const out = path.join(scratchDir(), "project.json");
    const run = record([
      "--target",
      target.url,
      "--token",
      "tok-dev",
      "--project",
      "acme/app",
      "--out",
      out,
      "-p",
      "0",
    ]);
    await run.proxyUrl;
    run.child.kill("SIGTERM");
    expect((await run.exited).code).toBe(0);
    const seed = JSON.parse(readFileSync(out, "utf8")) as Record<string, Array<Record<string, unknown>>>;
    expect(seed.builds!.map((b) => b.id)).toEqual([20, 21, 22, 25]);
    // Not an admin: the recording user is a member with the role the target shows it has.
    expect(seed.projects![0]!.members).toEqual([{ user: 7, role: "developer" }]);
    const replay = await serve({ seedFile: out });
    const p = "/api/v4/projects/3/jobs/25";
    expect(
      (await bodyOf(replay.url, p, "buildsim-recorded-token")).equals(await bodyOf(target.url, p, "tok-dev")),
    ).toBe(true);
  });

  it("cuts traces and keeps only the size of archives past --max-bytes", async () => {
    const target = await serve({ seedText: TARGET_SEED });
    const out = path.join(scratchDir(), "small.json");
    const run = record([
      "--target",
      target.url,
      "--token",
      "tok-root",
      "--project",
      "3",
      "--out",
      out,
      "-p",
      "0",
      "--max-bytes",
      "4",
    ]);
    await run.proxyUrl;
    run.child.kill("SIGINT");
    const done = await run.exited;
    expect(done.code).toBe(0);
    expect(done.out).toContain("note: job 20 trace is larger than --max-bytes 4: cut");
    const seed = JSON.parse(readFileSync(out, "utf8")) as { builds: Array<Record<string, unknown>> };
    const compile = seed.builds.find((b) => b.id === 20)!;
    expect(compile.trace).toBe("comp");
    expect(compile.artifacts).toMatchObject({ filename: "artifacts.zip", size: expect.any(Number) });
  });
});

describe("buildsim record with a bad target", () => {
  it("says in one line that an unreachable target cannot be reached, and exits 1", async () => {
    const gone = await serve({});
    const url = gone.url;
    await gone.close();
    const done = await record(["--target", url, "--token", "t", "-p", "0"]).exited;
    expect(done.code).toBe(1);
    expect(done.out).toBe("");
    expect(done.err).toMatch(
      /^buildsim record: cannot reach the target http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED.*; check --target\n$/,
    );
  });

  // GitLab answers an unknown token with 401 {"message":"401 Unauthorized"} (doc/api/rest/troubleshooting.md).
  it("says in one line that the target refused the token (401), and exits 1", async () => {
    const target = await serve({ seedText: TARGET_SEED });
    const done = await record(["--target", target.url, "--token", "wrong", "-p", "0"]).exited;
    expect(done).toEqual({
      code: 1,
      out: "",
      err: `buildsim record: the target ${target.url} refused the token (401 Unauthorized): check --token\n`,
    });
  });

  it("refuses a missing --target or --token as a usage error (exit 2)", async () => {
    const done = await record(["--token", "t"]).exited;
    expect(done).toEqual({
      code: 2,
      out: "",
      err: "buildsim record: --target is required\nsee 'buildsim record --help'\n",
    });
  });
});
