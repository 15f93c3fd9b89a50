import { describe, expect, it } from "vitest";
import { sleep, systemClock } from "./clock.js";

describe("clock", () => {
  it("does not fire a 30-day timer right away (Node would turn it into 1 ms)", async () => {
    let fired = false;
    const handle = systemClock.setTimeout(
      () => {
        fired = true;
      },
      30 * 24 * 3600 * 1000,
    );
    await sleep(systemClock, 20);
    systemClock.clearTimeout(handle);
    expect(fired).toBe(false);
  });

  it("ends a sleep as soon as its signal aborts", async () => {
    const abort = new AbortController();
    const slept = sleep(systemClock, 60_000, abort.signal);
    abort.abort();
    await expect(slept).resolves.toBeUndefined();
  });
});
