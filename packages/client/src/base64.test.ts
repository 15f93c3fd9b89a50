import { describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64 } from "./base64.js";

describe("base64", () => {
  it("decodes what Node's Buffer encodes, byte for byte", () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(decodeBase64(Buffer.from(bytes).toString("base64"))).toEqual(bytes);
  });

  it("encodes large inputs the same way Buffer does", () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) % 256);
    expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString("base64"));
  });

  it("rejects characters outside the alphabet", () => {
    expect(() => decodeBase64("not base64!")).toThrow();
  });
});
