import { backoffDelayMs } from "@buildsim/core";
import { describe, expect, it } from "vitest";
import { parseRetryAfterMs, sleep } from "./backoff.js";
import { ClientError } from "./client-error.js";

describe("backoffDelayMs", () => {
  it("doubles from baseDelayMs and stops at maxDelayMs", () => {
    const noJitter = () => 0;
    const delays = [0, 1, 2, 3, 4, 5].map((n) =>
      backoffDelayMs(n, { baseDelayMs: 100, maxDelayMs: 1000 }, noJitter),
    );
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("adds at most 20% jitter and never exceeds the cap", () => {
    expect(backoffDelayMs(0, { baseDelayMs: 100 }, () => 0.999)).toBe(100 + 20);
    expect(backoffDelayMs(10, { baseDelayMs: 100, maxDelayMs: 500 }, () => 0.999)).toBe(500);
  });
});

describe("parseRetryAfterMs", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfterMs("3")).toBe(3000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfterMs("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
  });

  it("ignores a missing or unreadable value", () => {
    expect(parseRetryAfterMs(null)).toBeNull();
    expect(parseRetryAfterMs("soon")).toBeNull();
  });
});

describe("sleep", () => {
  it("rejects with an aborted ClientError when the signal fires", async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort("stop");
    await expect(waiting).rejects.toMatchObject({ code: "aborted", cause: "stop" });
    await expect(sleep(1, controller.signal)).rejects.toBeInstanceOf(ClientError);
  });
});
