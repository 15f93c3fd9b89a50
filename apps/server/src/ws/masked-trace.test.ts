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

  it("agrees with the definition, suffix by suffix, on random tails over a small alphabet", () => {
    // The definition, written plainly: the longest k < |s| with tail's last k bytes = s's first k.
    const plain = (tail: Buffer, secrets: Buffer[]) =>
      Math.max(
        0,
        ...secrets.flatMap((s) =>
          Array.from({ length: Math.min(s.length - 1, tail.length) }, (_, i) => i + 1).filter((k) =>
            tail.subarray(tail.length - k).equals(s.subarray(0, k)),
          ),
        ),
      );
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const text = (n: number) => b(Array.from({ length: n }, () => "abA"[next(3)]).join(""));
    for (let i = 0; i < 2000; i++) {
      const tail = text(next(12));
      const secrets = Array.from({ length: 1 + next(3) }, () => text(1 + next(8)));
      expect(secretPrefixAtEnd(tail, secrets), `${tail} ${secrets.join(",")}`).toBe(plain(tail, secrets));
    }
  });
});

describe("MaskedTrace", () => {
  it("masks a secret split across chunks, releasing the held bytes once it is decided", () => {
    const t = new MaskedTrace({ tokens: ["SECRET"], masked: [] }, b(""));
    expect(t.append(b("token=SE")).data.toString()).toBe("token=");
    expect(t.append(b("CRET ok\n"))).toEqual({ offset: 6, data: b("xxxxxx ok\n") });
    expect(t.length).toBe(16);
  });

  it("releases held bytes that turned out not to be a secret, and everything on flush", () => {
    const t = new MaskedTrace({ tokens: ["SECRET"], masked: [] }, b("a SEC"));
    expect(t.released).toBe(2);
    expect(t.releasedPart(b("a SEC")).toString()).toBe("a ");
    expect(t.append(b("OND"))).toEqual({ offset: 2, data: b("SECOND") });
    expect(t.append(b(" S"))).toEqual({ offset: 8, data: b(" ") });
    expect(t.flush()).toEqual({ offset: 9, data: b("S") });
    expect(t.released).toBe(10);
  });

  it("shows a masked variable split across two writes as [MASKED], counting offsets in what it sends", () => {
    // Current GitLab masks masked variables' values as `[MASKED]` in job logs:
    // https://docs.gitlab.com/ci/variables/#mask-a-cicd-variable
    const t = new MaskedTrace({ tokens: [], masked: ["s3cr3t-value"] }, b(""));
    expect(t.append(b("pw=s3cr3t-"))).toEqual({ offset: 0, data: b("pw=") });
    expect(t.append(b("value done\n"))).toEqual({ offset: 3, data: b("[MASKED] done\n") });
    expect(t.length).toBe(21);
    expect(t.released).toBe(17);
    expect(t.releasedPart(b("pw=s3cr3t-value done\n")).toString()).toBe("pw=[MASKED] done\n");
  });

  it("starts over from a stored trace holding masked values with offsets in masked bytes", () => {
    const t = new MaskedTrace({ tokens: ["TOKEN"], masked: ["abcdefghij"] }, b("abcdefghij TOKEN abcde"));
    expect(t.released).toBe("[MASKED] xxxxx ".length);
    expect(t.append(b("fghij!"))).toEqual({ offset: 15, data: b("[MASKED]!") });
  });
});
