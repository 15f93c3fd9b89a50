import { describe, expect, it } from "vitest";
import { reconnectDelayMs, runnerSocketUrl } from "./runner-socket.js";

describe("runner socket helpers", () => {
  it("turns a server's base URL into its runner WebSocket URL", () => {
    expect(runnerSocketUrl("http://127.0.0.1:3000")).toBe("ws://127.0.0.1:3000/-/buildsim/runner");
    expect(runnerSocketUrl("https://ci.example/")).toBe("wss://ci.example/-/buildsim/runner");
    expect(runnerSocketUrl("ws://h:1/-/buildsim/runner")).toBe("ws://h:1/-/buildsim/runner");
    expect(runnerSocketUrl("http://h/prefix")).toBe("ws://h/prefix/-/buildsim/runner");
  });

  it("doubles the reconnect delay per attempt up to the cap, jittered between half and all of it", () => {
    const options = { reconnectDelayMs: 100, maxReconnectDelayMs: 1000, random: () => 0 };
    expect([0, 1, 2, 3, 4, 10].map((attempt) => reconnectDelayMs(attempt, options))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect(reconnectDelayMs(2, { ...options, random: () => 0.999999 })).toBe(400);
  });
});
