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
        variablesFile: null,
        concurrent: 4,
        manual: [],
        executor: "auto",
        dataDir: ".buildsim",
        db: null,
        port: 0,
        keep: false,
        verbose: false,
        include: { includeMap: null, projects: [], gitlabUrl: null, gitlabToken: null },
      },
    });
  });

  it("reads the include flags and refuses a malformed --project or --gitlab-url", () => {
    const r = parseRunArgs([
      "--include-map",
      "ci/map.yml",
      "--project",
      "acme/ci=../ci",
      "--project",
      "acme/sub/tools=/src/tools",
      "--gitlab-url",
      "https://gitlab.example.com/",
      "--gitlab-token",
      "glpat-x",
    ]);
    expect(r.ok === true && r.options.include).toEqual({
      includeMap: "ci/map.yml",
      projects: [
        { path: "acme/ci", dir: "../ci" },
        { path: "acme/sub/tools", dir: "/src/tools" },
      ],
      gitlabUrl: "https://gitlab.example.com",
      gitlabToken: "glpat-x",
    });
    expect(parseRunArgs(["--project", "ci=../ci"])).toEqual({
      ok: false,
      error: '--project expects group/name=DIR, got "ci=../ci"',
    });
    expect(parseRunArgs(["--gitlab-url", "gitlab.example.com"])).toEqual({
      ok: false,
      error: '--gitlab-url must be an http(s) URL, got "gitlab.example.com"',
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
      "--db",
      "postgres://ci@db.example:5432/ci?schema=runs",
    ]);
    expect(r).toMatchObject({
      ok: true,
      options: {
        jobs: ["a", "c", "b"],
        variables: { X: "1=2", Y: "" },
        manual: ["deploy"],
        keep: true,
        file: "ci/main.yml",
        db: "postgres://ci@db.example:5432/ci?schema=runs",
      },
    });
  });

  it("explains bad values instead of guessing", () => {
    expect(parseRunArgs(["--var", "NOPE"])).toEqual({
      ok: false,
      error: '--var expects KEY=VALUE, got "NOPE"',
    });
    expect(parseRunArgs(["--concurrent", "0"])).toMatchObject({ ok: false });
    expect(parseRunArgs(["--executor", "podman"])).toEqual({
      ok: false,
      error: '--executor must be auto, docker, shell or simulate, got "podman"',
    });
    expect(parseRunArgs(["--db", "ci.sqlite"])).toEqual({
      ok: false,
      error: '--db accepts a postgres:// URL (the SQLite database lives under --data), got "ci.sqlite"',
    });
    expect(parseRunArgs(["--bogus"])).toEqual({ ok: false, error: "unknown option --bogus" });
    expect(parseRunArgs(["-f"])).toEqual({ ok: false, error: "-f/--file needs a value" });
    expect(parseRunArgs(["--keep=yes"])).toEqual({ ok: false, error: "--keep takes no value" });
  });
});
