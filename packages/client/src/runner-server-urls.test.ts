// A runner connection over several servers: it stays on the one it reached, moves to the next when the
// link is lost, and resumes a build's trace on the new server from the length that server holds.
// GitLab Runner takes one `url` per runner (docs.gitlab.com/runner/configuration/advanced-configuration/
// #the-runners-section); the list is buildsim's addition for several servers on one database.

import { afterEach, describe, expect, it } from "vitest";
import { createRunnerConnection, type RunnerConnection } from "./runner-connection.js";
import { RunnerServerUrls } from "./runner-server-urls.js";
import { makeJobPayload } from "./test-support/make-job-payload.js";
import { type RunnerProtocolPeer, startRunnerProtocolPeer } from "./test-support/runner-protocol-peer.js";

const peers: RunnerProtocolPeer[] = [];
let connection: RunnerConnection | null = null;

afterEach(async () => {
  await connection?.close();
  connection = null;
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

async function peer(): Promise<RunnerProtocolPeer> {
  const started = await startRunnerProtocolPeer();
  peers.push(started);
  return started;
}

/** A URL nothing listens on: a peer started and closed again. */
async function deadUrl(): Promise<string> {
  const gone = await startRunnerProtocolPeer();
  await gone.close();
  return gone.url;
}

const hellos = (p: RunnerProtocolPeer) => p.received.filter((r) => r.message.type === "hello").length;

describe("the server URLs of a runner connection", () => {
  it("are url then urls, in order, without duplicates", () => {
    const servers = new RunnerServerUrls({
      url: "http://a:1",
      urls: ["ws://b:2", "http://a:1", "https://c"],
    });
    expect(servers.baseUrls).toEqual(["http://a:1", "ws://b:2", "https://c"]);
    expect(servers.currentSocketUrl).toBe("ws://a:1/-/buildsim/runner");
    servers.advance();
    expect(servers.current).toBe("ws://b:2");
    servers.advance();
    servers.advance();
    expect(servers.current).toBe("http://a:1");
  });

  it.each([
    [{ urls: ["http://a:1", "not a url"] }, 'urls[1] must be an http(s) or ws(s) URL, got "not a url"'],
    [{ url: "http://a:1", urls: ["ftp://b"] }, 'urls[0] must be an http(s) or ws(s) URL, got "ftp://b"'],
    [{ url: "a:1" }, 'url must be an http(s) or ws(s) URL, got "a:1"'],
    [{ urls: [] }, "a runner connection needs a server URL (`url` or `urls`)"],
  ])("refuses %j when the connection is created, naming the bad entry", (options, message) => {
    expect(() => createRunnerConnection({ ...options, token: "t" })).toThrow(new TypeError(message));
  });
});

describe("a runner connection with several server URLs", () => {
  it("passes a server that refuses the connection, reports it, and connects to the next one", async () => {
    const dead = await deadUrl();
    const live = await peer();
    const failures: string[] = [];
    connection = createRunnerConnection({
      urls: [dead, live.url],
      token: "runner-token",
      reconnectDelayMs: 5,
    });
    connection.onConnectFailure((_error, _retryInMs, url) => failures.push(url));
    await connection.connect();
    expect(failures).toEqual([dead]);
    expect(connection.serverUrl).toBe(live.url);
    expect(hellos(live)).toBe(1);
  });

  it("stays on the server it reached, and moves to the next one, wrapping around, only when the link is lost", async () => {
    const [a, b] = [await peer(), await peer()];
    connection = createRunnerConnection({ urls: [a.url, b.url], token: "runner-token", reconnectDelayMs: 5 });
    await connection.connect();
    expect(connection.serverUrl).toBe(a.url);
    expect(await connection.claim()).toBeNull();
    expect([hellos(a), hellos(b)]).toEqual([1, 0]);

    const welcomes = () => new Promise((resolve) => connection!.onWelcome(resolve));
    let welcomed = welcomes();
    a.disconnectAll(1001);
    await welcomed;
    expect(connection.serverUrl).toBe(b.url);
    expect([hellos(a), hellos(b)]).toEqual([1, 1]);

    welcomed = welcomes();
    b.disconnectAll(1001);
    await welcomed;
    expect(connection.serverUrl).toBe(a.url);
    expect([hellos(a), hellos(b)]).toEqual([2, 1]);
  });

  it("resumes a build's trace on the next server from the length it holds: no byte twice, none missing", async () => {
    const [a, b] = [await peer(), await peer()];
    connection = createRunnerConnection({ urls: [a.url, b.url], token: "runner-token", reconnectDelayMs: 5 });
    a.enqueue(makeJobPayload({ id: 4 }));
    await connection.connect();
    expect((await connection.claim())?.id).toBe(4);
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i + 1}\n`);
    for (const line of lines.slice(0, 120)) connection.appendTrace(4, line);
    const firstPart = lines.slice(0, 120).join("").length;
    await a.waitForTraceBytes(4, firstPart);
    // Both servers read one database: B holds what A committed, with the build running on this runner.
    const shared = b.enqueue(makeJobPayload({ id: 4 }));
    Object.assign(shared, { status: "running", runnerId: 1, trace: Buffer.from(a.builds.get(4)!.trace) });
    peers.splice(peers.indexOf(a), 1);
    await a.close();
    // Written while no server is reachable: kept until B acknowledges it.
    for (const line of lines.slice(120)) connection.appendTrace(4, line);
    expect(await connection.finish(4, { state: "success", exitCode: 0 })).toBe("success");
    expect(connection.serverUrl).toBe(b.url);
    expect(shared.trace.toString()).toBe(lines.join(""));
    expect(shared.overlapBytes).toBe(0);
    expect(shared.finish).toMatchObject({ state: "success", traceBytes: lines.join("").length });
  });
});
