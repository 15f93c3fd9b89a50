import { type RunningServer, startServer } from "@buildsim/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testDatabase } from "../../../scripts/test-database.mjs";
import { runRunnerRegisterCommand } from "./runner-register-command.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startServer({ db: testDatabase("register"), log: () => {} });
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

  // GitLab answers a wrong registration token with a bare `403 Forbidden`
  // (lib/api/runners.rb in gitlab-ce: `forbidden! unless attributes`): say which token is wrong.
  it("reports a refused registration token in one line saying which token to use, and exits 1", async () => {
    const c = capture();
    expect(await runRunnerRegisterCommand(["--url", server.url, "--registration-token", "nope"], c.io)).toBe(
      1,
    );
    expect(c.err).toEqual([
      `buildsim runner register: ${server.url} refused the registration token (403 Forbidden): use the token \`buildsim serve\` printed, or the project's runners token`,
    ]);
  });

  it("says a dead URL refused the connection (ECONNREFUSED) and exits 1", async () => {
    const dead = await startServer({ db: ":memory:", log: () => {} });
    const url = dead.url;
    await dead.close();
    const c = capture();
    expect(await runRunnerRegisterCommand(["--url", url, "--registration-token", "t"], c.io)).toBe(1);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(
      /^buildsim runner register: cannot connect to .*\(ECONNREFUSED\): nothing listens there/,
    );
  });

  it("explains a missing argument in one line pointing at the help, and exits 2", async () => {
    const c = capture();
    expect(await runRunnerRegisterCommand(["--url", server.url], c.io)).toBe(2);
    expect(c.err).toEqual([
      "buildsim runner register: --registration-token is required",
      "see 'buildsim runner register --help'",
    ]);
  });
});
