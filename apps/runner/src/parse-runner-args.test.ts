import { describe, expect, it } from "vitest";
import { parseRunnerArgs } from "./parse-runner-args.js";

describe("parseRunnerArgs", () => {
  it("reads every flag, in both --flag value and --flag=value forms", () => {
    const result = parseRunnerArgs(
      [
        "--url",
        "http://127.0.0.1:3000",
        "--token=secret",
        "--concurrent",
        "4",
        "--executor=simulate",
        "--tags",
        "docker, linux,",
        "--name",
        "r9",
        "--builds-dir",
        "/tmp/b",
        "--cache-dir=/tmp/c",
      ],
      {},
      "host",
    );
    expect(result).toEqual({
      ok: true,
      options: {
        url: "http://127.0.0.1:3000",
        urls: ["http://127.0.0.1:3000"],
        token: "secret",
        concurrent: 4,
        executor: "simulate",
        tags: ["docker", "linux"],
        name: "r9",
        buildsDir: "/tmp/b",
        cacheDir: "/tmp/c",
        help: false,
      },
    });
  });

  it("defaults to one auto slot named after the host, with URL and token from the environment", () => {
    const result = parseRunnerArgs([], { BUILDSIM_URL: "ws://h:1", BUILDSIM_RUNNER_TOKEN: "t" }, "host");
    expect(result).toMatchObject({
      ok: true,
      options: { url: "ws://h:1", token: "t", concurrent: 1, executor: "auto", tags: [], name: "host" },
    });
  });

  // gitlab-runner's config.toml takes one `url` per runner
  // (https://docs.gitlab.com/runner/configuration/advanced-configuration/#the-runners-section); a list of
  // servers sharing one database is buildsim's addition, so the runner can fail over between them.
  it("takes several server URLs from repeated --url flags, commas, or BUILDSIM_URL, in the order given", () => {
    const repeated = parseRunnerArgs(
      ["--url", "http://a:1", "--url=ws://b:2, http://c:3", "--token", "t"],
      {},
      "host",
    );
    expect(repeated).toMatchObject({
      ok: true,
      options: { url: "http://a:1", urls: ["http://a:1", "ws://b:2", "http://c:3"] },
    });
    const fromEnv = parseRunnerArgs(
      [],
      { BUILDSIM_URL: "http://a:1,http://b:2", BUILDSIM_RUNNER_TOKEN: "t" },
      "h",
    );
    expect(fromEnv).toMatchObject({
      ok: true,
      options: { url: "http://a:1", urls: ["http://a:1", "http://b:2"] },
    });
    // A flag replaces the environment's list instead of adding to it.
    const flagWins = parseRunnerArgs(
      ["--url", "http://c:3"],
      { BUILDSIM_URL: "http://a:1", BUILDSIM_RUNNER_TOKEN: "t" },
      "h",
    );
    expect(flagWins).toMatchObject({ ok: true, options: { urls: ["http://c:3"] } });
  });

  it.each([
    [
      ["--url", "http://a:1,not-a-url", "--token", "t"],
      '--url must be an http(s) or ws(s) URL, got "not-a-url" (URL 2 of 2)',
    ],
    [
      ["--url", "http://a:1", "--url", "ftp://b", "--token", "t"],
      '--url must be an http(s) or ws(s) URL, got "ftp://b" (URL 2 of 2)',
    ],
    [["--url", ",", "--token", "t"], "--url is required"],
  ])("rejects a bad URL in the list %j, saying which one", (argv, error) => {
    expect(parseRunnerArgs(argv, {}, "host")).toEqual({ ok: false, error });
  });

  it.each([
    [["--token", "t"], "--url is required"],
    [["--url", "http://h"], "--token is required"],
    [["--url", "ftp://h", "--token", "t"], '--url must be an http(s) or ws(s) URL, got "ftp://h"'],
    [
      ["--url", "http://h", "--token", "t", "--concurrent", "0"],
      '--concurrent must be a whole number of at least 1, got "0"',
    ],
    [
      ["--url", "http://h", "--token", "t", "--executor", "kubernetes"],
      '--executor must be auto, docker, shell or simulate, got "kubernetes"',
    ],
    [["--url", "http://h", "--token"], "--token needs a value"],
    [["--verbose"], "unknown option --verbose"],
    [["--url", "http://h", "extra"], 'unexpected argument "extra"'],
  ])("rejects %j with a clear message", (argv, error) => {
    expect(parseRunnerArgs(argv, {}, "host")).toEqual({ ok: false, error });
  });
});
