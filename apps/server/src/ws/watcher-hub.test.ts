// Trace watchers against a real server: authorization at the upgrade, stored bytes then the live tail,
// `end` with the final status, many watchers, and the bounded buffer of a slow one.

import { CLOSE_CODES, type ServerToWatcherMessage } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import {
  b64,
  connectRunner,
  connectWatcher,
  openClient,
  type ProtocolClient,
} from "../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../test-support/runner-seed.js";
import { api, startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: RUNNER_SEED, realtime: { maxBufferedBytes: 64 * 1024 } });
});
afterEach(() => server.close());

/** Reads chunks until `end`, checking they are contiguous from `from`; returns the bytes and the end. */
async function readToEnd(w: ProtocolClient<ServerToWatcherMessage>, from: number) {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const m = await w.next();
    if (m.type === "status") continue;
    if (m.type === "end") return { bytes: Buffer.concat(parts), end: m };
    expect(m.offset).toBe(at);
    const data = Buffer.from(m.data, "base64");
    parts.push(data);
    at += data.byteLength;
  }
}

async function runningBuild2() {
  const runner = await connectRunner(server, T.shared);
  runner.client.send({ type: "claim", requestId: "r" });
  await runner.client.nextOf("job");
  let offset = 0;
  const write = async (text: string) => {
    runner.client.send({ type: "trace", buildId: 2, offset, data: b64(text) });
    offset = (await runner.client.nextOf("traceAck")).length;
  };
  const finish = async () => {
    runner.client.send({ type: "finish", buildId: 2, state: "success", exitCode: 0, traceBytes: offset });
    return (await runner.client.nextOf("finishAck")).status;
  };
  return { runner, write, finish };
}

describe("the upgrade", () => {
  const refused = async (q: Parameters<typeof connectWatcher>[1]) =>
    connectWatcher(server, q).then(
      () => ({ status: 101, body: "" }),
      (e: { status: number; body: string }) => ({ status: e.status, body: JSON.parse(e.body) }),
    );

  it("answers 404 with GitLab's catch-all body for an upgrade to any other path", async () => {
    const refusal = await openClient(`${server.url.replace(/^http/, "ws")}/-/buildsim/nope`).catch(
      (e: { status: number; body: string }) => e,
    );
    expect(refusal).toMatchObject({ status: 404, body: JSON.stringify({ error: "404 Not Found" }) });
  });

  // Anonymous callers read only public projects, as GitLab's `authenticate_non_get!` reads do:
  // https://docs.gitlab.com/ee/api/rest/#authentication
  it("answers 401 to an unknown token, and 404 Project Not Found to an anonymous caller of a private project", async () => {
    expect(await refused({ project: 1, build: 2, token: "bad" })).toEqual({
      status: 401,
      body: { message: "401 Unauthorized" },
    });
    expect(await refused({ project: 1, build: 2 })).toEqual({
      status: 404,
      body: { message: "404 Project Not Found" },
    });
  });

  it("answers 404 Project Not Found to a user who cannot see the project", async () => {
    expect(await refused({ project: 1, build: 2, token: T.outsider })).toEqual({
      status: 404,
      body: { message: "404 Project Not Found" },
    });
  });

  it("answers 403 to a member without read_build", async () => {
    expect(await refused({ project: 1, build: 2, token: T.guest })).toEqual({
      status: 403,
      body: { message: "403 Forbidden" },
    });
  });

  it("answers 404 for a build of another project, and 400 for a bad offset", async () => {
    expect(await refused({ project: 1, build: 4, token: T.admin })).toEqual({
      status: 404,
      body: { message: "404 Not Found" },
    });
    expect(await refused({ project: 1, build: 2, token: T.admin, offset: -1 })).toEqual({
      status: 400,
      body: { error: "offset is invalid" },
    });
  });

  it("lets a reporter watch, by project path, with the private_token query param", async () => {
    const w = await connectWatcher(server, {
      project: "acme/app",
      build: 2,
      token: T.reporter,
      tokenInQuery: true,
    });
    expect(await w.next()).toEqual({ type: "status", status: "pending" });
    await w.close();
  });
});

describe("streaming", () => {
  it("sends a late watcher the whole trace, then the live tail, then end with the final status", async () => {
    const b = await runningBuild2();
    await b.write("line 1\n");
    await b.write("line 2\n");
    const late = await connectWatcher(server, { project: 1, build: 2, token: T.reporter });
    const from5 = await connectWatcher(server, { project: 1, build: 2, token: T.reporter, offset: 5 });
    expect(await late.next()).toEqual({ type: "chunk", offset: 0, data: b64("line 1\nline 2\n") });
    expect(await late.next()).toEqual({ type: "status", status: "running" });
    await b.write("line 3\n");
    expect(await late.next()).toEqual({ type: "chunk", offset: 14, data: b64("line 3\n") });
    expect(await b.finish()).toBe("success");
    expect(await late.next()).toEqual({ type: "status", status: "success" });
    expect(await late.next()).toEqual({ type: "end", status: "success", length: 21 });
    expect(await late.closed).toBe(CLOSE_CODES.NORMAL);
    const rest = await readToEnd(from5, 5);
    expect(rest.bytes.toString()).toBe("1\nline 2\nline 3\n");
    expect(rest.end.length).toBe(21);
  });

  it("gives a watcher of a finished build its trace and end at once", async () => {
    const b = await runningBuild2();
    await b.write("done\n");
    await b.finish();
    const w = await connectWatcher(server, { project: 1, build: 2, token: T.admin });
    const { bytes, end } = await readToEnd(w, 0);
    expect(bytes.toString()).toBe("done\n");
    expect(end).toEqual({ type: "end", status: "success", length: 5 });
  });

  it("masks the job token and the project's runners token in chunks", async () => {
    const b = await runningBuild2();
    const token = server.store.builds.get(2)!.token;
    const w = await connectWatcher(server, { project: 1, build: 2, token: T.admin });
    await w.nextOf("status");
    await b.write(`token=${token} reg=PROJECT-1-RUNNERS\n`);
    const chunk = await w.nextOf("chunk");
    expect(Buffer.from(chunk.type === "chunk" ? chunk.data : "", "base64").toString()).toBe(
      `token=${"x".repeat(token.length)} reg=${"x".repeat(17)}\n`,
    );
  });

  it("masks a job token split across two chunks", async () => {
    const b = await runningBuild2();
    const token = server.store.builds.get(2)!.token;
    const w = await connectWatcher(server, { project: 1, build: 2, token: T.admin });
    await w.nextOf("status");
    await b.write(`token=${token.slice(0, 4)}`);
    await b.write(`${token.slice(4)} done\n`);
    expect(await b.finish()).toBe("success");
    const { bytes } = await readToEnd(w, 0);
    expect(bytes.toString()).toBe(`token=${"x".repeat(token.length)} done\n`);
  });

  it("delivers the same bytes in order to many watchers", async () => {
    const b = await runningBuild2();
    const watchers = await Promise.all(
      Array.from({ length: 10 }, () => connectWatcher(server, { project: 1, build: 2, token: T.admin })),
    );
    let expected = "";
    for (let i = 0; i < 50; i++) {
      const line = `line ${i}\n`;
      expected += line;
      await b.write(line);
    }
    await b.finish();
    for (const w of watchers) expect((await readToEnd(w, 0)).bytes.toString()).toBe(expected);
  });

  it("ends a watcher with end when the build is canceled through the API", async () => {
    await runningBuild2();
    const w = await connectWatcher(server, { project: 1, build: 2, token: T.admin });
    await w.nextOf("status");
    await api(server, "/api/v3/projects/1/builds/2/cancel", { method: "POST", token: T.admin });
    expect(await w.nextOf("end", ["status"])).toEqual({ type: "end", status: "canceled", length: 0 });
  });
});

describe("a slow watcher", () => {
  it("is closed with WATCHER_TOO_SLOW past maxBufferedBytes and resumes from the bytes it has", async () => {
    await runningBuild2();
    const slow = await connectWatcher(server, { project: 1, build: 2, token: T.admin });
    await slow.nextOf("status");
    slow.socket.pause();
    const line = Buffer.alloc(256 * 1024, "y");
    const total = 64 * line.byteLength;
    // Appended in-process: 16 MiB is far more than the socket buffers hold while the watcher reads nothing.
    for (let i = 0; i < 64; i++) server.app.traces.appendTrace(2, i * line.byteLength, line);
    slow.socket.resume();
    let held = 0;
    await expect(
      (async () => {
        for (;;) {
          const m = await slow.next();
          if (m.type === "chunk") held += Buffer.from(m.data, "base64").byteLength;
        }
      })(),
    ).rejects.toThrow(/closed \(4408\)/);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(total);
    const resumed = await connectWatcher(server, { project: 1, build: 2, token: T.admin, offset: held });
    // The rest comes as a backlog, in contiguous pieces of at most maxBufferedBytes / 4.
    let at = held;
    while (at < total) {
      const m = await resumed.nextOf("chunk");
      expect(m.type === "chunk" && m.offset).toBe(at);
      const bytes = Buffer.from(m.type === "chunk" ? m.data : "", "base64").byteLength;
      expect(bytes).toBeLessThanOrEqual(16 * 1024);
      at += bytes;
    }
    expect(at).toBe(total);
  });
});

describe("status messages", () => {
  it("are sent for status changes only, not for other changes of the build", async () => {
    const b = await runningBuild2();
    const w = await connectWatcher(server, { project: 1, build: 2, token: T.admin });
    expect(await w.next()).toEqual({ type: "status", status: "running" });
    const build = server.store.builds.get(2)!;
    server.store.transaction(() => server.app.transitions.saveDetails({ ...build, coverage: 50 }));
    await b.write("x\n");
    expect(await w.next()).toEqual({ type: "chunk", offset: 0, data: b64("x\n") });
  });
});
