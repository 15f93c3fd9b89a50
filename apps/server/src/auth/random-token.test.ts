import { describe, expect, it } from "vitest";
import { randomToken } from "./random-token.js";

describe("random tokens", () => {
  it("are 20 hex characters, never repeated across refills of the pool", () => {
    // 2,000 tokens: the 4 KiB pool is refilled four times.
    const tokens = Array.from({ length: 2000 }, randomToken);
    for (const t of tokens) expect(t).toMatch(/^[0-9a-f]{20}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
