// utf8TextOf: text for UTF-8 bytes, nothing for bytes a lenient decoder would have to replace.

import { describe, expect, it } from "vitest";
import { utf8TextOf } from "./utf8-text.js";

describe("utf8TextOf", () => {
  it("decodes UTF-8 bytes, ANSI escapes and all, and refuses bytes that are not UTF-8", () => {
    expect(utf8TextOf(Buffer.from("\u001b[32mok\u001b[0m ✓\n"))).toBe("\u001b[32mok\u001b[0m ✓\n");
    expect(utf8TextOf(new Uint8Array([0x61, 0xff, 0x62]))).toBeUndefined();
    // A multi-byte character cut in half is not text either.
    expect(utf8TextOf(Buffer.from("✓").subarray(0, 2))).toBeUndefined();
  });
});
