// How many PostgreSQL statements (round trips of the synchronous bridge) the hot paths cost: a runner's
// claim, a runner's trace message and a v4 job retry, counted by SQL text on the real server. Each statement
// on the bridge blocks the server's event loop for a round trip, so these counts bound claims/s per server
// (packages/bench/README.md, PostgreSQL: cost model); a trace message's one statement is asynchronous.
// BUILDSIM_PRINT_STATEMENTS=1 prints them.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { b64, connectRunner, connectWatcher } from "../../test-support/protocol-client.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";
import { observePgStatements } from "./pg-db.js";

const SHA = "c".repeat(40);
const ADMIN = "tok-admin";

/** The claims benchmark's shape (ws-bench-seed.ts): one project, shared runners, pipelines of 10 pending builds. */
const SEED = `
users:
  - { id: 1, username: root, admin: true, tokens: [${ADMIN}] }
projects:
  - { id: 1, path: bench/ws }
commits:
  - { project: 1, sha: "${SHA}", message: bench }
runners:
  - { id: 1, token: runner-1 }
  - { id: 2, token: runner-2 }
pipelines:
  - { id: 1, project: 1, sha: "${SHA}", ref: main }
  - { id: 2, project: 1, sha: "${SHA}", ref: main }
builds:
  - { id: 11, pipeline: 2, name: done, script: ["echo"], status: success }
${Array.from(
  { length: 10 },
  (_, i) =>
    `  - { id: ${i + 1}, pipeline: 1, name: job-${i}, script: ["echo"], status: pending, queued_at: "2026-01-01T00:00:00.000Z" }`,
).join("\n")}
`;

/** What PostgreSQL was sent while an operation ran. */
interface Sent {
  /** Statements by text (whitespace folded), most frequent first. */
  statements: Array<[string, number]>;
  /** Statements in all, as pg_stat_statements counts them (BEGIN and COMMIT included). */
  total: number;
  /** Round trips of the bridge: a BEGIN travels with the statement after it. */
  roundTrips: number;
  /** Statements sent asynchronously (their round trips do not block the event loop). */
  nonBlocking: number;
}

/** What was sent while `during` runs. */
async function sentDuring(during: () => Promise<void>): Promise<Sent> {
  const counts = new Map<string, number>();
  let roundTrips = 0;
  let nonBlocking = 0;
  const stop = observePgStatements((sql, withNext, blocking) => {
    const text = sql.replace(/\s+/g, " ").slice(0, 110);
    counts.set(text, (counts.get(text) ?? 0) + 1);
    if (!blocking) nonBlocking++;
    else if (!withNext) roundTrips++;
  });
  try {
    await during();
  } finally {
    stop();
  }
  const statements = [...counts].sort((a, b) => b[1] - a[1]);
  const total = statements.reduce((s, [, n]) => s + n, 0);
  if (process.env.BUILDSIM_PRINT_STATEMENTS)
    console.log(
      `${statements.map(([text, n]) => `${n}  ${text}`).join("\n")}\n${total} statements, ${roundTrips} round trips of the bridge, ${nonBlocking} asynchronous`,
    );
  return { statements, total, roundTrips, nonBlocking };
}

let server: RunningServer;
beforeEach(async () => {
  // No sweeps or heartbeats meanwhile: only the operation's own statements are counted.
  server = await startTestServer({
    seedText: SEED,
    realtime: { sweepIntervalMs: 2 ** 30, heartbeatTimeoutMs: 600_000 },
  });
});
afterEach(() => server.close());

describe("PostgreSQL round trips", () => {
  it("spends at most 17 statements on a claim, job payload included, BEGIN riding with the first", async () => {
    const { client } = await connectRunner(server, "runner-1");
    // The first claim prepares statements and warms caches; the second is the steady state measured.
    client.send({ type: "claim", requestId: "warm" });
    await client.nextOf("job");
    const sent = await sentDuring(async () => {
      client.send({ type: "claim", requestId: "measured" });
      expect((await client.nextOf("job")).job.id).toBe(2);
    });
    // Was 29 (2026-11-30): the payload read the pipeline, project and protected branches 2-3 times, the
    // pipeline status took 5 statements, a status change read the row and moved its count in two.
    expect(sent.total).toBeLessThanOrEqual(17);
    expect(sent.roundTrips).toBe(sent.total - 1);
  });

  it("spends one asynchronous statement and no round trip of the bridge on a trace message a watcher on the same server gets", async () => {
    const { client } = await connectRunner(server, "runner-1");
    client.send({ type: "claim", requestId: "r" });
    const { job } = await client.nextOf("job");
    const watcher = await connectWatcher(server, { project: 1, build: job.id, token: ADMIN });
    client.send({ type: "trace", buildId: job.id, offset: 0, data: b64("warm\n") });
    await client.nextOf("traceAck");
    await watcher.nextOf("chunk", ["status"]);
    const sent = await sentDuring(async () => {
      client.send({ type: "trace", buildId: job.id, offset: 5, data: b64("line\n") });
      expect((await client.nextOf("traceAck")).length).toBe(10);
      await watcher.nextOf("chunk", ["status"]);
    });
    // Was 5: BEGIN, read the length, insert the chunk, update the length, COMMIT; then 4 in 3 round trips
    // (the length moved only from where the chunk starts, with no read first); then BEGIN, one statement
    // that moves the length and inserts the chunk, COMMIT, in 2 round trips that held the event loop.
    // Now that statement alone, autocommitted, on the trace writer's own connection.
    expect(sent.statements).toEqual([[expect.stringMatching(/^WITH moved AS \( UPDATE builds/), 1]]);
    expect(sent.nonBlocking).toBe(1);
    expect(sent.roundTrips).toBe(0);
  });

  it("spends at most 14 statements on a v4 job retry, its answer included", async () => {
    // https://docs.gitlab.com/api/jobs/#retry-a-job: 201 with the new job.
    const retry = () => api(server, "/api/v4/projects/1/jobs/11/retry", { method: "POST", token: ADMIN });
    expect((await retry()).status).toBe(201);
    const sent = await sentDuring(async () => {
      const res = await retry();
      expect(res.status).toBe(201);
      expect(((await res.json()) as { status: string }).status).toBe("pending");
    });
    // Was 24 (2026-11-30): the old job was read twice more and saved whole, the answer read the
    // project, pipeline, user and commit again.
    expect(sent.total).toBeLessThanOrEqual(14);
  });
});
