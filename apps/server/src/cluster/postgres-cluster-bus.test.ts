// The PostgreSQL cluster bus against a real PostgreSQL: delivery between servers, no echo, payloads split
// under NOTIFY's 8000-byte limit, one leader at a time, and recovery from a terminated connection.

import { afterEach, describe, expect, it, vi } from "vitest";
import { terminateBackends, testPostgresUrl, uniqueChannel } from "../test-support/cluster-postgres.js";
import type { ClusterBus } from "./cluster-bus.js";
import { applicationNameOf, createPostgresClusterBus } from "./postgres-cluster-bus.js";

const open: ClusterBus[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((bus) => bus.close()));
});

function join(channel: string): ClusterBus {
  const bus = createPostgresClusterBus(
    { postgres: testPostgresUrl(), channel, minBackoffMs: 20, maxBackoffMs: 200, leaderRetryMs: 50 },
    () => {},
  );
  open.push(bus);
  return bus;
}

/** Resolves with the first `count` messages `bus` hears (probes left out). */
function hear(bus: ClusterBus, count: number): Promise<Array<[string, unknown]>> {
  const heard: Array<[string, unknown]> = [];
  return new Promise((resolve) => {
    bus.subscribe((topic, body) => {
      if (topic === "probe") return;
      heard.push([topic, body]);
      if (heard.length === count) resolve(heard);
    });
  });
}

/** Publishes on `from` until `to` hears a `probe` (LISTEN is set up in the background). */
async function waitUntilConnected(from: ClusterBus, to: ClusterBus): Promise<void> {
  let heard = false;
  const stop = to.subscribe((topic) => {
    if (topic === "probe") heard = true;
  });
  await vi.waitFor(
    () => {
      from.publish("probe", {});
      if (!heard) throw new Error("not heard yet");
    },
    { timeout: 10_000, interval: 50 },
  );
  stop();
}

describe("the PostgreSQL cluster bus", () => {
  it("delivers a message to the other servers in order and never back to its sender", async () => {
    const channel = uniqueChannel();
    const [a, b, c] = [join(channel), join(channel), join(channel)];
    await waitUntilConnected(a, b);
    await waitUntilConnected(a, c);
    const own: Array<[string, unknown]> = [];
    a.subscribe((topic, body) => own.push([topic, body]));
    const atB = hear(b, 3);
    const atC = hear(c, 3);
    a.publish("x", { n: 1 });
    a.publish("x", { n: 2 });
    a.publish("y", { n: 3 });
    const expected = [
      ["x", { n: 1 }],
      ["x", { n: 2 }],
      ["y", { n: 3 }],
    ];
    expect(await atB).toEqual(expected);
    expect(await atC).toEqual(expected);
    // B's answer reaches A; by then A would have heard its own messages had they come back.
    const atA = hear(a, 1);
    b.publish("z", {});
    expect(await atA).toEqual([["z", {}]]);
    expect(own.filter(([topic]) => topic !== "z" && topic !== "probe")).toEqual([]);
  });

  it("splits what one turn publishes over several NOTIFY payloads of under 8000 bytes, in order", async () => {
    const channel = uniqueChannel();
    const [a, b] = [join(channel), join(channel)];
    await waitUntilConnected(a, b);
    const atB = hear(b, 40);
    const pad = "p".repeat(900);
    for (let n = 0; n < 40; n++) a.publish("big", { n, pad });
    const heard = await atB;
    expect(heard.map(([, body]) => (body as { n: number }).n)).toEqual([...Array(40).keys()]);
  });

  it("refuses (drops and logs) one message over the limit instead of failing the NOTIFY", async () => {
    const lines: string[] = [];
    const bus = createPostgresClusterBus({ postgres: testPostgresUrl(), channel: uniqueChannel() }, (l) =>
      lines.push(l),
    );
    open.push(bus);
    bus.publish("huge", { pad: "p".repeat(8000) });
    expect(lines).toEqual([expect.stringMatching(/^cluster: dropped a huge message of \d+ bytes/)]);
  });

  it("has exactly one leader, and another server takes over when the leader leaves", async () => {
    const channel = uniqueChannel();
    const buses = [join(channel), join(channel), join(channel)];
    await vi.waitFor(() => expect(buses.filter((b) => b.isLeader())).toHaveLength(1), { timeout: 10_000 });
    const leader = buses.find((b) => b.isLeader())!;
    await leader.close();
    const rest = buses.filter((b) => b !== leader);
    await vi.waitFor(() => expect(rest.filter((b) => b.isLeader())).toHaveLength(1), { timeout: 10_000 });
  });

  it("comes back after its connection is terminated: listens again, resyncs both sides and delivers again", async () => {
    const channel = uniqueChannel();
    const [a, b] = [join(channel), join(channel)];
    await waitUntilConnected(a, b);
    const resyncedA = new Promise<void>((resolve) => a.onResync(resolve));
    const resyncedB = new Promise<void>((resolve) => b.onResync(resolve));
    expect(await terminateBackends(applicationNameOf("bus", a.serverId))).toBe(1);
    // A notices, reconnects, and tells B it was away.
    await resyncedA;
    await resyncedB;
    const atA = hear(a, 1);
    b.publish("after", { n: 1 });
    expect(await atA).toEqual([["after", { n: 1 }]]);
    const atB = hear(b, 1);
    a.publish("back", { n: 2 });
    expect(await atB).toEqual([["back", { n: 2 }]]);
  });

  it("hands leadership on when the leader's lock connection is terminated", async () => {
    const channel = uniqueChannel();
    const [a, b] = [join(channel), join(channel)];
    await vi.waitFor(() => expect([a, b].filter((x) => x.isLeader())).toHaveLength(1), { timeout: 10_000 });
    const [leader, other] = a.isLeader() ? [a, b] : [b, a];
    await terminateBackends(applicationNameOf("leader", leader.serverId));
    await vi.waitFor(() => expect(other.isLeader()).toBe(true), { timeout: 10_000 });
    expect(leader.isLeader()).toBe(false);
  });
});
