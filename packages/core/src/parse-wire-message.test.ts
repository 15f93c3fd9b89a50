import { describe, expect, it } from "vitest";
import {
  parseRunnerToServerMessage,
  parseServerToRunnerMessage,
  parseServerToWatcherMessage,
} from "./parse-wire-message.js";

const frame = (value: unknown) => JSON.stringify(value);

describe("parseRunnerToServerMessage", () => {
  it.each([
    { type: "hello", protocol: 1, token: "t", tags: ["docker"] },
    { type: "claim", requestId: "r1", waitMs: 5000 },
    { type: "trace", buildId: 7, offset: 0, data: "aGk=" },
    { type: "heartbeat", buildIds: [7, 8] },
    {
      type: "finish",
      buildId: 7,
      state: "failed",
      exitCode: 2,
      failureReason: "script_failure",
      traceBytes: 3,
    },
    {
      type: "finish",
      buildId: 7,
      state: "success",
      exitCode: null,
      traceBytes: 0,
      dotenvVariables: [{ key: "A_1", value: "x" }],
    },
  ])("accepts a well-formed $type message", (message) => {
    expect(parseRunnerToServerMessage(frame(message))).toEqual({ ok: true, value: message });
  });

  it.each([
    ["{", "not JSON"],
    ["[1]", "not a JSON object"],
    [frame({ type: "nope" }), 'unknown message type "nope"'],
    [frame({ buildId: 1 }), "unknown message type undefined"],
    [frame({ type: "trace", buildId: 0, offset: 0, data: "" }), "trace: /buildId"],
    [frame({ type: "trace", buildId: 1, offset: -1, data: "" }), "trace: /offset"],
    [frame({ type: "hello", protocol: 1.5, token: "t" }), "hello: /protocol"],
    [frame({ type: "heartbeat", buildIds: [1, "2"] }), "heartbeat: /buildIds/1"],
    [frame({ type: "finish", buildId: 1, state: "done", traceBytes: 0 }), "finish: /state"],
    [
      frame({ type: "finish", buildId: 1, state: "failed", failureReason: "bad_luck", traceBytes: 0 }),
      "finish: /failureReason",
    ],
    [
      frame({
        type: "finish",
        buildId: 1,
        state: "success",
        traceBytes: 0,
        dotenvVariables: [{ key: "1A", value: "x" }],
      }),
      "finish: /dotenvVariables/0/key",
    ],
  ])("says why %s is not a message", (text, error) => {
    const result = parseRunnerToServerMessage(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.startsWith(error)).toBe(true);
  });
});

describe("parseServerToRunnerMessage", () => {
  it("accepts a cancel with its reason and refuses one without", () => {
    const cancel = { type: "cancel", buildId: 3, reason: "timeout" };
    expect(parseServerToRunnerMessage(frame(cancel))).toEqual({ ok: true, value: cancel });
    expect(parseServerToRunnerMessage(frame({ type: "cancel", buildId: 3 })).ok).toBe(false);
  });

  it("checks the whole job payload, not only that there is one", () => {
    const result = parseServerToRunnerMessage(frame({ type: "job", requestId: "r", job: { id: 1 } }));
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^job: \/job\//) });
  });
});

describe("parseServerToWatcherMessage", () => {
  it.each([
    { type: "chunk", offset: 0, data: "aGk=" },
    { type: "status", status: "running" },
    { type: "end", status: "success", length: 2 },
  ])("accepts a $type message", (message) => {
    expect(parseServerToWatcherMessage(frame(message))).toEqual({ ok: true, value: message });
  });

  it("refuses a status GitLab does not have", () => {
    expect(parseServerToWatcherMessage(frame({ type: "status", status: "done" })).ok).toBe(false);
  });
});
