// The read cache never answers differently from no cache: two servers on the same seed, clock and tokens,
// one with the read cache and one rendering every read (`readCache: false`), get the same random
// interleaving of reads, writes (API actions, runner transitions, trace appends, runner heartbeats,
// registrations, renames and deletions, a write to another table) and clock moves; every response must be the same bytes, status and headers included.
// GitLab's answers are whatever the uncached path renders (tested elsewhere); this only proves the
// cache is invisible: https://docs.gitlab.com/ee/api/jobs.html (lists, single jobs, pagination headers).

import { request } from "node:http";
import type { BuildEvent } from "@buildsim/core";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../start-server.js";
import { ORACLE_TOKEN, oracleSeed } from "../test-support/oracle-seed.js";
import { seeded } from "../test-support/seeded-random.js";
import { createFakeClock, createTokenSequence } from "../test-support/start-test-server.js";

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Answer {
  status: number;
  headers: string[];
  body: string;
}

const PER_CONNECTION = new Set(["date", "connection", "keep-alive"]);

/** One request with a fixed Host (Link URLs carry it), answered as status, headers in order, and bytes. */
function send(server: RunningServer, method: string, target: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${target}`,
      { method, headers: { Host: "gitlab.test", "PRIVATE-TOKEN": ORACLE_TOKEN } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const headers: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2)
            if (!PER_CONNECTION.has(res.rawHeaders[i]!.toLowerCase()))
              headers.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("latin1") });
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const NO_TIMERS = {
  setTimeout: () => 0,
  clearTimeout: () => {},
  setInterval: () => 0,
  clearInterval: () => {},
};

/** Both servers, same seed, same clock, same tokens; the second renders every read. */
async function pair() {
  const clock = createFakeClock("2026-03-01T12:00:00.000Z");
  const start = (readCache: false | undefined) =>
    startServer({
      db: ":memory:",
      seedText: oracleSeed(clock.now().toISOString()),
      clock: clock.now,
      generateToken: createTokenSequence(),
      webUrl: "http://gitlab.test",
      log: () => {},
      // No watchdog or scheduler ticks: with the clock moved by hand they would change one server first.
      realtime: { timers: NO_TIMERS },
      ...(readCache === false ? { readCache: false } : {}),
    });
  const cached = await start(undefined);
  const oracle = await start(false);
  servers.push(cached, oracle);
  return { cached, oracle, clock };
}

/** The reads: lists of both APIs with pages and scopes, pipeline job lists, single builds and jobs. */
function reads(maxBuildId: number): string[] {
  const v3 = "/api/v3/projects/1/builds";
  const v4 = "/api/v4/projects/1/jobs";
  const out = [
    `${v3}`,
    `${v3}?page=2&per_page=7`,
    `${v3}?scope=running`,
    `${v3}?scope[]=pending&scope[]=running&per_page=5`,
    `${v3}?scope=success&page=3&per_page=4`,
    `${v3}?scope[]=failed&scope[]=canceled`,
    `/api/v3/projects/1/repository/commits/${"1".repeat(40)}/builds`,
    `/api/v3/projects/2/builds`,
    `${v4}`,
    `${v4}?page=2&per_page=6`,
    `${v4}?scope[]=running&scope[]=pending`,
    `${v4}?scope=success&per_page=9`,
    `${v4}?scope[]=failed&scope[]=canceled&scope[]=manual`,
    `${v4}?per_page=100`,
    `/api/v4/projects/2/jobs`,
  ];
  // With and without the retried jobs: a retry changes which jobs the lists show, not the entities.
  for (let p = 1; p <= 7; p++)
    out.push(
      `/api/v4/projects/1/pipelines/${p}/jobs`,
      `/api/v4/projects/1/pipelines/${p}/jobs?include_retried=true`,
    );
  out.push("/api/v4/projects/1/pipelines/2/jobs?scope[]=success&per_page=2&page=2");
  for (let id = 1; id <= maxBuildId + 2; id++) {
    out.push(`${v3}/${id}`, `${v4}/${id}`);
  }
  return out;
}

describe("the read cache against a server without it", () => {
  it("answers every request of a random mix of reads, writes and clock moves byte for byte the same, headers included", {
    timeout: 120_000,
  }, async () => {
    const { cached, oracle, clock } = await pair();
    const random = seeded(20260301);
    let maxId = cached.store.builds.nextId() - 1;
    let compared = 0;
    // Build rows each server reads to answer GETs: the cache must save most of them, or the comparison proves little.
    const rowReads = new Map<RunningServer, number>();
    let reading = false;
    for (const s of [cached, oracle]) {
      const builds = s.store.builds;
      const get = builds.get.bind(builds);
      const list = builds.list.bind(builds);
      const count = (n: number) => {
        if (reading) rowReads.set(s, (rowReads.get(s) ?? 0) + n);
      };
      builds.get = (id) => {
        count(1);
        return get(id);
      };
      builds.list = (q) => {
        const rows = list(q);
        count(rows.length);
        return rows;
      };
    }
    const both = async (method: string, target: string) => {
      const a = await send(cached, method, target);
      const b = await send(oracle, method, target);
      expect({ target, ...a }).toEqual({ target, ...b });
      compared++;
      return a;
    };
    /** The same store-level change on both servers, as a runner session would make it. */
    const onBoth = (change: (s: RunningServer) => void) => {
      change(cached);
      change(oracle);
    };
    const fire = (s: RunningServer, id: number, event: BuildEvent) =>
      s.store.transaction(() => {
        const b = s.store.builds.get(id);
        if (b) s.app.transitions.fire(b, event);
      });
    /** A runner's hello as the runner hub saves it: contact time, name and tags from the message. */
    const heartbeat = (
      s: RunningServer,
      runnerId: number,
      at: string,
      name: string | null,
      tags: string[] | null,
    ) =>
      s.store.transaction(() => {
        const r = s.store.runners.get(runnerId);
        if (r)
          s.store.runners.save({ ...r, contactedAt: at, name: name ?? r.name, tagList: tags ?? r.tagList });
      });
    const register = (s: RunningServer) =>
      s.store.transaction(() => {
        const template = s.store.runners.get(1) ?? s.store.runners.list()[0];
        const id = s.store.runners.nextId();
        if (template)
          s.store.runners.insert({
            ...template,
            id,
            token: `oracle-runner-${id}`,
            description: `runner ${id}`,
            contactedAt: null,
          });
      });
    let maxRunner = 1;
    for (let step = 0; step < 700; step++) {
      const roll = random.next();
      const id = 1 + random.int(maxId);
      const at = clock.now().toISOString();
      // Runner ids past the last one too: a deleted runner's id comes back with the next registration.
      const runnerId = 1 + random.int(maxRunner + 1);
      if (roll < 0.6) {
        const target = random.pick(reads(maxId));
        reading = true;
        await both("GET", target);
        reading = false;
      } else if (roll < 0.72) {
        const action = random.pick(["retry", "cancel", "erase", "play", "artifacts/keep"]);
        const api = random.next() < 0.5 ? "v3/projects/1/builds" : "v4/projects/1/jobs";
        await both("POST", `/api/${api}/${id}/${action}`);
        maxId = cached.store.builds.nextId() - 1;
      } else if (roll < 0.81) {
        // A runner takes a pending build, or finishes a running one.
        const b = cached.store.builds.get(id);
        if (b?.status === "pending") onBoth((s) => fire(s, id, { type: "run", at, runnerId }));
        else if (b?.status === "running") {
          // Drawn once: both servers must get the same event.
          const event: BuildEvent =
            random.next() < 0.5 ? { type: "success", at } : { type: "drop", at, reason: "script_failure" };
          onBoth((s) => fire(s, id, event));
        }
        maxId = cached.store.builds.nextId() - 1;
      } else if (roll < 0.87) {
        const b = cached.store.builds.get(id);
        if (b?.status === "running") {
          const bytes = Buffer.from(`line ${step}\n`);
          onBoth((s) => s.app.traces.appendTrace(id, b.trace.bytes, bytes));
        }
      } else if (roll < 0.92) {
        // Runner writes: mostly heartbeats (contact time only), some renaming or retagging the runner,
        // registrations and deletions (builds keep a deleted runner's id).
        const kind = random.next();
        if (kind < 0.55) onBoth((s) => heartbeat(s, runnerId, at, null, null));
        else if (kind < 0.65) {
          const name = `runner-${random.int(3)}`;
          onBoth((s) => heartbeat(s, runnerId, at, name, null));
        } else if (kind < 0.75) {
          const tags = [`tag-${random.int(3)}`];
          onBoth((s) => heartbeat(s, runnerId, at, null, tags));
        } else if (kind < 0.88) onBoth(register);
        else {
          // Often the newest runner: the next registration takes its id again.
          const gone = random.next() < 0.6 ? maxRunner : runnerId;
          await both("DELETE", `/api/v4/runners/${gone}`);
        }
        maxRunner = cached.store.runners.nextId() - 1;
      } else if (roll < 0.93) {
        // A write to a table the build caches do not track: everything is dropped.
        onBoth((s) => s.store.transaction(() => s.store.settings.set("oracle", String(step))));
      } else {
        // Now and then past the two hours after which a runner shows offline.
        clock.advance(random.int(random.next() < 0.9 ? 90_000 : 10_800_000));
      }
    }
    expect(compared).toBeGreaterThan(450);
    expect(rowReads.get(cached)!).toBeLessThan(rowReads.get(oracle)! * 0.75);
  });
});
