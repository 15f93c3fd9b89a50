import { describe, expect, it } from "vitest";
import { MaskedTrace, secretPrefixAtEnd } from "./masked-trace.js";

const b = (s: string) => Buffer.from(s);

describe("secretPrefixAtEnd", () => {
  it("finds the longest trailing proper prefix of any secret", () => {
    expect(secretPrefixAtEnd(b("token=SEC"), [b("SECRET")])).toBe(3);
    expect(secretPrefixAtEnd(b("token=SECRET"), [b("SECRET")])).toBe(0);
    expect(secretPrefixAtEnd(b("abc"), [b("SECRET"), b("cde")])).toBe(1);
    expect(secretPrefixAtEnd(b(""), [b("SECRET")])).toBe(0);
  });
});

describe("MaskedTrace", () => {
  it("masks a secret split across chunks, releasing the held bytes once it is decided", () => {
    const t = new MaskedTrace(["SECRET"], b(""));
    expect(t.append(b("token=SE")).data.toString()).toBe("token=");
    expect(t.append(b("CRET ok\n"))).toEqual({ offset: 6, data: b("xxxxxx ok\n") });
    expect(t.length).toBe(16);
  });

  it("releases held bytes that turned out not to be a secret, and everything on flush", () => {
    const t = new MaskedTrace(["SECRET"], b("a SEC"));
    expect(t.released).toBe(2);
    expect(t.releasedPart(b("a SEC")).toString()).toBe("a ");
    expect(t.append(b("OND"))).toEqual({ offset: 2, data: b("SECOND") });
    expect(t.append(b(" S"))).toEqual({ offset: 8, data: b(" ") });
    expect(t.flush()).toEqual({ offset: 9, data: b("S") });
    expect(t.released).toBe(10);
  });
});
