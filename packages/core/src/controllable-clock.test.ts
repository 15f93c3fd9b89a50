// The controllable clock: real time with an offset, or frozen; its timers fire on its own time.

import { describe, expect, it } from "vitest";
import type { Clock } from "./clock.js";
import { ControllableClock } from "./controllable-clock.js";

/** A base clock whose time moves only when the test says (its timers fire then too). */
function manualBase(startMs = 1_000_000) {
  let now = startMs;
  let timers: Array<{ due: number; fn: () => void }> = [];
  const base: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { due: now + ms, fn };
      timers.push(t);
      return t;
    },
    clearTimeout: (h) => {
      timers = timers.filter((t) => t !== h);
    },
  };
  return {
    base,
    pass(ms: number) {
      now += ms;
      for (const t of timers.filter((x) => x.due <= now)) {
        timers = timers.filter((x) => x !== t);
        t.fn();
      }
    },
    armed: () => timers.length,
  };
}

describe("ControllableClock", () => {
  it("follows its base until told otherwise", () => {
    const m = manualBase();
    const clock = new ControllableClock(m.base);
    m.pass(500);
    expect(clock.now()).toBe(1_000_500);
    expect(clock.frozen).toBe(false);
  });

  it("stands still while frozen, and runs on from there once unfrozen", () => {
    const m = manualBase();
    const clock = new ControllableClock(m.base);
    clock.freeze();
    m.pass(10_000);
    expect(clock.now()).toBe(1_000_000);
    clock.unfreeze();
    m.pass(1);
    expect(clock.now()).toBe(1_000_001);
  });

  it("fires timers that come due during an advance, each at its own due time, in order", () => {
    const m = manualBase();
    const clock = new ControllableClock(m.base);
    clock.freeze();
    const seen: Array<[string, number]> = [];
    clock.setTimeout(() => seen.push(["b", clock.now()]), 2000);
    clock.setTimeout(() => seen.push(["a", clock.now()]), 1000);
    clock.setTimeout(() => seen.push(["late", clock.now()]), 9000);
    clock.advance(5000);
    expect(seen).toEqual([
      ["a", 1_001_000],
      ["b", 1_002_000],
    ]);
    expect(clock.now()).toBe(1_005_000);
  });

  it("fires a timer on real time while running, at the clock's time (offset included)", () => {
    const m = manualBase();
    const clock = new ControllableClock(m.base);
    clock.advance(60_000);
    let firedAt = 0;
    clock.setTimeout(() => {
      firedAt = clock.now();
    }, 1000);
    m.pass(999);
    expect(firedAt).toBe(0);
    m.pass(1);
    expect(firedAt).toBe(1_061_000);
  });

  it("arms no base timer while frozen", () => {
    const m = manualBase();
    const clock = new ControllableClock(m.base);
    clock.freeze();
    clock.setTimeout(() => {}, 1000);
    expect(m.armed()).toBe(0);
    clock.unfreeze();
    expect(m.armed()).toBe(1);
  });

  it("does not fire a cleared timer", () => {
    const clock = new ControllableClock(manualBase().base);
    clock.freeze();
    let fired = false;
    const h = clock.setTimeout(() => {
      fired = true;
    }, 10);
    clock.clearTimeout(h);
    clock.advance(100);
    expect(fired).toBe(false);
  });

  it("jumps backwards without firing anything, and tells its listeners of every move", () => {
    const clock = new ControllableClock(manualBase().base);
    const moves: Array<[number, number]> = [];
    clock.onMove((m) => moves.push([m.fromMs, m.toMs]));
    clock.freeze();
    clock.set(500);
    clock.useRealTime();
    expect(moves).toEqual([
      [1_000_000, 1_000_000],
      [1_000_000, 500],
      [500, 1_000_000],
    ]);
    expect(clock.frozen).toBe(false);
  });

  it("refuses a negative advance and a time that is not a number", () => {
    const clock = new ControllableClock(manualBase().base);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.set(Number.NaN)).toThrow(RangeError);
    expect(clock.now()).toBe(1_000_000);
  });
});
