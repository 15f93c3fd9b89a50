// Reading one entry out of an artifacts zip, and GitLab's rule for which paths may be asked for.

import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { isValidArtifactPath, readArtifactEntry } from "./artifact-entry.js";

const zip = zipSync({ "out/result.txt": strToU8("42\n"), "out/deep/x.bin": new Uint8Array([0, 1, 2]) });

describe("readArtifactEntry", () => {
  it("returns the bytes of a nested entry", () => {
    expect(readArtifactEntry(zip, "out/result.txt")).toEqual({ kind: "found", bytes: strToU8("42\n") });
    expect(readArtifactEntry(zip, "out/deep/x.bin")).toEqual({
      kind: "found",
      bytes: new Uint8Array([0, 1, 2]),
    });
  });

  it("reports a missing entry, a directory name, and bytes that are not a zip as missing", () => {
    expect(readArtifactEntry(zip, "out/none.txt")).toEqual({ kind: "missing" });
    expect(readArtifactEntry(zip, "out")).toEqual({ kind: "missing" });
    expect(readArtifactEntry(strToU8("PK-not-really"), "out/result.txt")).toEqual({ kind: "missing" });
  });

  it("refuses traversal and NUL bytes before opening the archive", () => {
    expect(readArtifactEntry(new Uint8Array(0), "out/../etc/passwd")).toEqual({ kind: "invalid-path" });
    expect(readArtifactEntry(new Uint8Array(0), "a\u0000b")).toEqual({ kind: "invalid-path" });
  });
});

describe("isValidArtifactPath", () => {
  it.each([
    ["out/result.txt", true],
    ["a..b/c", true],
    ["..", false],
    ["x/../y", false],
    ["", false],
  ])("%j → %s", (path, valid) => {
    expect(isValidArtifactPath(path)).toBe(valid);
  });
});
