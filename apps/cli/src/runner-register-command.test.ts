import { type RunningServer, startServer } from "@buildsim/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runRunnerRegisterCommand } from "./runner-register-command.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startServer({ db: ":memory:", log: () => {} });
});
afterEach(() => server.close());

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) }, out, err };
}

describe("buildsim runner register", () => {
  it("registers a shared runner with the server's registration token and prints its token", async () => {
    const c = capture();
    const code = await runRunnerRegisterCommand(
      [
        "--url",
        server.url,
        "--registration-token",
        server.registrationToken,
        "--description",
        "laptop",
        "--tags",
        "docker, linux",
        "--run-untagged",
        "false",
      ],
      c.io,
    );
    expect(code).toBe(0);
    const token = c.out.find((l) => l.startsWith("token: "))?.slice("token: ".length) ?? "";
    expect(server.store.runners.getByToken(token)).toMatchObject({
      description: "laptop",
      isShared: true,
      tagList: ["docker", "linux"],
      runUntagged: false,
    });
    expect(c.out.at(-1)).toBe(`Run it with: buildsim runner --url ${server.url} --token ${token}`);
  });

  it("reports a refused registration token with GitLab's answer and exits 1", async () => {
    const c = capture();
    expect(await runRunnerRegisterCommand(["--url", server.url, "--registration-token", "nope"], c.io)).toBe(
      1,
    );
    expect(c.err.join("\n")).toContain("403: 403 Forbidden");
  });

  it("explains missing arguments and exits 2", async () => {
    const c = capture();
    expect(await runRunnerRegisterCommand(["--url", server.url], c.io)).toBe(2);
    expect(c.err.join("\n")).toContain("--registration-token are required");
  });
});
