import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLOSE_CODE_TABLE, CLOSE_CODES, closeCodeMeaning } from "./close-codes.js";

describe("close codes", () => {
  it("names every code once", () => {
    expect(CLOSE_CODES.UNAUTHORIZED).toBe(4401);
    expect(new Set(CLOSE_CODE_TABLE.map((e) => e.code)).size).toBe(CLOSE_CODE_TABLE.length);
    expect(closeCodeMeaning(4408)?.reaction).toBe("reconnect-now");
    expect(closeCodeMeaning(4404)?.clientError).toBe("not_found");
    expect(closeCodeMeaning(4403)).toBeUndefined();
  });

  it("is the table docs/runner-protocol.md shows, code for code", () => {
    const doc = readFileSync(new URL("../../../docs/runner-protocol.md", import.meta.url), "utf8");
    const documented = [...doc.matchAll(/^\| (\d{4}) \| (\w+) +\|/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(documented).toEqual(CLOSE_CODE_TABLE.map((e) => [e.code, e.name]));
  });
});
