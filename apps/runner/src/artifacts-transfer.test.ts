import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpBaseUrl, unzipInto } from "./artifacts-transfer.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "buildsim-unzip-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("artifacts transfer", () => {
  it("derives the HTTP base URL from the runner's URL", () => {
    expect(httpBaseUrl("ws://127.0.0.1:3000/-/buildsim/runner")).toBe("http://127.0.0.1:3000");
    expect(httpBaseUrl("https://ci.example/gitlab/")).toBe("https://ci.example/gitlab");
  });

  it("unpacks an archive and skips entries that would escape the directory", async () => {
    const archive = zipSync({
      "ok/file.txt": strToU8("fine"),
      "../escape.txt": strToU8("bad"),
      "empty/": {},
    });
    const target = path.join(dir, "project");
    const result = await unzipInto(target, archive);
    expect(result).toEqual({ written: ["ok/file.txt"], skipped: ["../escape.txt"] });
    expect(await readFile(path.join(target, "ok/file.txt"), "utf8")).toBe("fine");
    expect((await readdir(dir)).sort()).toEqual(["project"]);
  });
});
