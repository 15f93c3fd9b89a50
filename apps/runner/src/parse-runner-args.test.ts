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
    [["--verbose"], "unknown argument: --verbose"],
  ])("rejects %j with a clear message", (argv, error) => {
    expect(parseRunnerArgs(argv, {}, "host")).toEqual({ ok: false, error });
  });
});
