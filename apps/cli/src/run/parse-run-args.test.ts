import { describe, expect, it } from "vitest";
import { parseRunArgs } from "./parse-run-args.js";

describe("buildsim run arguments", () => {
  it("defaults to the .gitlab-ci.yml in the current directory on the checked-out branch", () => {
    expect(parseRunArgs([])).toEqual({
      ok: true,
      options: {
        file: ".gitlab-ci.yml",
        ref: null,
        jobs: [],
        variables: {},
        concurrent: 4,
        manual: [],
        executor: "shell",
        dataDir: ".buildsim",
        port: 0,
        keep: false,
        verbose: false,
      },
    });
  });

  it("takes repeated jobs, variables and manual jobs", () => {
    const r = parseRunArgs([
      "--job",
      "a",
      "b",
      "--job",
      "c",
      "--var",
      "X=1=2",
      "--var",
      "Y=",
      "--manual",
      "deploy",
      "--keep",
      "-f",
      "ci/main.yml",
    ]);
    expect(r).toMatchObject({
      ok: true,
      options: {
        jobs: ["a", "c", "b"],
        variables: { X: "1=2", Y: "" },
        manual: ["deploy"],
        keep: true,
        file: "ci/main.yml",
      },
    });
  });

  it("explains bad values instead of guessing", () => {
    expect(parseRunArgs(["--var", "NOPE"])).toEqual({
      ok: false,
      error: '--var expects KEY=VALUE, got "NOPE"',
    });
    expect(parseRunArgs(["--concurrent", "0"])).toMatchObject({ ok: false });
    expect(parseRunArgs(["--executor", "docker"])).toMatchObject({ ok: false });
    expect(parseRunArgs(["--bogus"])).toEqual({ ok: false, error: "unknown option --bogus" });
    expect(parseRunArgs(["-f"])).toEqual({ ok: false, error: "-f/--file needs a value" });
    expect(parseRunArgs(["--keep=yes"])).toEqual({ ok: false, error: "--keep takes no value" });
  });
});
