// The bus carries JSON from other processes: a malformed message is refused rather than acted on, and a
// trace message's inline bytes must be exactly the range it announces.

import { describe, expect, it } from "vitest";
import { isClusterMessage } from "./cluster-messages.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("a trace message", () => {
  it("is accepted with or without its bytes, when the bytes are the announced range", () => {
    expect(isClusterMessage("trace", { b: 2, o: 10, l: 15 })).toBe(true);
    expect(isClusterMessage("trace", { b: 2, o: 10, l: 15, d: b64("hello") })).toBe(true);
    expect(isClusterMessage("trace", { b: 2, o: 10, l: 12, d: b64("hi") })).toBe(true);
    expect(isClusterMessage("trace", { b: 2, o: 0, l: 0, d: "" })).toBe(true);
  });

  it("is refused when its bytes are not base64 or not as long as the range", () => {
    expect(isClusterMessage("trace", { b: 2, o: 10, l: 16, d: b64("hello") })).toBe(false);
    expect(isClusterMessage("trace", { b: 2, o: 10, l: 14, d: b64("hello") })).toBe(false);
    expect(isClusterMessage("trace", { b: 2, o: 10, l: 15, d: "aGVsbG8*" })).toBe(false);
    expect(isClusterMessage("trace", { b: 2, o: 10, l: 15, d: 5 })).toBe(false);
    expect(isClusterMessage("trace", { b: 2, o: 15, l: 10 })).toBe(false);
  });
});
