// Fault rules for the WebSocket links on the handle (`server.faults.add({on: …})`): a dropped watcher
// link the buildsim client resumes from, a delayed trace, refused claims, a dropped runner link. A real
// server on port 0 with real sockets; jobs are played by job scripts on a frozen clock.

import { createClient, type TraceEvent } from "@buildsim/client";
import { afterEach, describe, expect, it } from "vitest";
import { ControlInputError } from "../http/control-input-error.js";
import type { RunningServer } from "../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../test-support/jobs-v4-seed.js";
import { connectRunner, connectWatcher } from "../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS } from "../test-support/runner-seed.js";
import { startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ROOT = V4_TOKENS.root;

/** The seed's `test` job retried (pending, so the script plays it at once); its id. */
async function playedJob(s: RunningServer, trace: string[], durationMs: number): Promise<number> {
  s.clock.freeze();
  s.jobs.add({ name: "test", trace, duration: durationMs, times: 1 });
  const res = await fetch(`${s.url}/api/v4/projects/1/jobs/2/retry`, {
    method: "POST",
    headers: { "PRIVATE-TOKEN": ROOT },
  });
  return ((await res.json()) as { id: number }).id;
}

describe("watcher link faults", () => {
  it("drops a watcher's link mid-trace, and the buildsim client resumes with every byte once", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    const id = await playedJob(server, ["a\n", "b\n", "c\n"], 3000);
    const [rule] = server.faults.add({
      on: "watcher",
      match: { build: id },
      times: 1,
      effect: { type: "drop" },
    });
    const client = createClient({ baseUrl: server.url, token: ROOT });
    const events: TraceEvent[] = [];
    const done = (async () => {
      for await (const e of client.watchTrace(1, id, {
        mode: "websocket",
        reconnect: { baseDelayMs: 10, maxDelayMs: 20 },
      }))
        events.push(e);
    })();
    const text = () =>
      events
        .filter((e) => e.type === "chunk")
        .map((e) => Buffer.from(e.bytes).toString())
        .join("");
    await expect.poll(text).toBe("a\n");
    server.clock.advance(1000); // "b\n" goes live: the rule drops the link instead
    await expect.poll(() => server!.faults.list()).toEqual([]);
    await expect.poll(text).toBe("a\nb\n");
    server.clock.advance(2000);
    await done;
    expect(text()).toBe("a\nb\nc\n");
    expect(events.at(-1)).toEqual({ type: "end", status: "success", length: 6 });
    expect(rule).toMatchObject({ id: "fault-1", on: "watcher", hits: 0, remaining: 1 });
  });

  it("delays live trace chunks to a watcher, keeping their order", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    const id = await playedJob(server, ["a", "b", "c"], 3000);
    const watcher = await connectWatcher(server, { project: 1, build: id, token: ROOT });
    expect((await watcher.nextOf("chunk", ["status"])).offset).toBe(0);
    server.faults.add({ on: "watcher", times: 1, effect: { type: "delay", ms: 300 } });
    const started = Date.now();
    server.clock.advance(1000); // "b", delayed
    server.clock.advance(1000); // "c", not delayed, yet behind "b"
    const b = await watcher.nextOf("chunk", ["status"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const c = await watcher.nextOf("chunk", ["status"]);
    expect([b.offset, c.offset]).toEqual([1, 2]);
    await watcher.close();
  });
});

describe("runner link faults", () => {
  it("refuses a runner's claims the number of times asked, then gives it the job", async () => {
    server = await startTestServer({ seedText: RUNNER_SEED });
    server.faults.add({ on: "runner", times: 2, effect: { type: "refuse-claim" } });
    const { client } = await connectRunner(server, RUNNER_SEED_TOKENS.shared);
    for (const requestId of ["r1", "r2"]) {
      client.send({ type: "claim", requestId, waitMs: 0 });
      expect(await client.nextOf("noJob")).toEqual({ type: "noJob", requestId });
    }
    client.send({ type: "claim", requestId: "r3", waitMs: 0 });
    const job = await client.nextOf("job");
    expect(job.job.id).toBe(2);
    expect(server.store.builds.get(2)?.status).toBe("running");
    await client.close();
  });

  it("drops a runner's link on the message it names, without a close frame (1006)", async () => {
    server = await startTestServer({ seedText: RUNNER_SEED });
    server.faults.add({ on: "runner", match: { runner: 1, message: "heartbeat" }, effect: { type: "drop" } });
    const { client } = await connectRunner(server, RUNNER_SEED_TOKENS.shared);
    client.send({ type: "claim", requestId: "r1", waitMs: 0 });
    await client.nextOf("job");
    client.send({ type: "heartbeat", buildIds: [2] });
    expect(await client.closed).toBe(1006);
    expect(server.faults.list()[0]).toMatchObject({ hits: 1 });
  });

  it("refuses a rule whose effect does not fit its link, naming the field, and adds none", () =>
    startTestServer({ seedText: RUNNER_SEED }).then((s) => {
      server = s;
      expect(() =>
        s.faults.add([
          { on: "runner", effect: { type: "drop" } },
          { on: "watcher", effect: { type: "refuse-claim" } },
        ]),
      ).toThrow(new ControlInputError("rules.1.effect.type refuse-claim is for runner links"));
      expect(() => s.faults.add({ on: "socket", effect: { type: "drop" } } as never)).toThrow(
        /^rule\.on is invalid/,
      );
      expect(s.faults.list()).toEqual([]);
    }));
});
