// Fault rules' parser: every effect's fields are checked by the effect's own schema, and an error names
// the field at fault.

import { describe, expect, it } from "vitest";
import { parseFaultRule } from "./fault-rules.js";

describe("parseFaultRule", () => {
  it("accepts each kind of effect", () => {
    for (const effect of [
      { type: "rate-limit", retryAfterSeconds: 1 },
      { type: "error", status: 502 },
      { type: "delay", ms: 10 },
      { type: "delay", minMs: 5, maxMs: 10 },
      { type: "reset", when: "after-headers" },
      { type: "truncate", bytes: 3 },
    ]) {
      expect(
        parseFaultRule({ match: { method: "GET" }, times: 1, effect }, "rule").ok,
        JSON.stringify(effect),
      ).toBe(true);
    }
  });

  it("names an unknown effect type, an unknown effect field and a bad status", () => {
    expect(parseFaultRule({ effect: { type: "explode" } }, "rule")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^rule\.effect\.type is invalid/),
    });
    expect(parseFaultRule({ effect: { type: "error", status: 500, body: "x" } }, "rule")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^rule\.effect\.body is not a known field/),
    });
    expect(parseFaultRule({ effect: { type: "error", status: 504 } }, "rule")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^rule\.effect\.status is invalid/),
    });
  });

  it("names unknown rule and matcher fields, and refuses a status matcher", () => {
    expect(parseFaultRule({ effect: { type: "error", status: 500 }, time: 1 }, "rule")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^rule\.time is not a known field/),
    });
    expect(
      parseFaultRule({ effect: { type: "error", status: 500 }, match: { status: 200 } }, "rule"),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^rule\.match\.status is not a known field/),
    });
  });

  it("wants a delay either fixed or as an ordered range", () => {
    expect(parseFaultRule({ effect: { type: "delay" } }, "r").ok).toBe(false);
    expect(parseFaultRule({ effect: { type: "delay", ms: 1, minMs: 1, maxMs: 2 } }, "r").ok).toBe(false);
    expect(parseFaultRule({ effect: { type: "delay", minMs: 9, maxMs: 2 } }, "r")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^r\.effect\.maxMs/),
    });
  });
});
