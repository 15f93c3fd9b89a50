import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDotenv, readDotenvReports } from "./read-dotenv-report.js";

describe("dotenv reports", () => {
  it("reads KEY=VALUE lines, unquotes values, skips blanks and comments, and lists what it cannot read", () => {
    expect(parseDotenv("A=1\n\n# note\nB=\"two words\"\nC='x=y'\nbad line\n9X=nope\nA=3\n")).toEqual({
      variables: [
        { key: "A", value: "3" },
        { key: "B", value: "two words" },
        { key: "C", value: "x=y" },
      ],
      invalid: ["bad line", "9X=nope"],
    });
  });

  it("merges every report file of the job, later files winning, and names the missing ones", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "buildsim-dotenv-"));
    await writeFile(path.join(dir, "a.env"), "X=1\nY=2\n");
    await writeFile(path.join(dir, "b.env"), "Y=3\n");
    const { report, missing } = await readDotenvReports(dir, ["a.env", "b.env", "gone.env"]);
    expect(report.variables).toEqual([
      { key: "X", value: "1" },
      { key: "Y", value: "3" },
    ]);
    expect(missing).toEqual(["gone.env"]);
  });
});
