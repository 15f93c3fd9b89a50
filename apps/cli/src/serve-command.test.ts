import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RunningServer } from "@buildsim/server";
import { describe, expect, it } from "vitest";
import { newPostgresDatabase, onPostgres, testDatabase } from "../../../scripts/test-database.mjs";
import { parseServeArgs, runServe } from "./serve-command.js";

const SEED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../examples/seed-doc.yaml");

describe("parseServeArgs", () => {
  it("defaults to port 3000 on 127.0.0.1 with the docs profile", () => {
    expect(parseServeArgs([])).toEqual({
      ok: true,
      port: 3000,
      host: "127.0.0.1",
      profile: "docs",
      controls: true,
      help: false,
    });
  });

  it("reads every option", () => {
    expect(
      parseServeArgs([
        "--port",
        "0",
        "--host",
        "0.0.0.0",
        "--db",
        ":memory:",
        "--seed",
        "s.yaml",
        "--profile",
        "gitlab-8.17",
        "--no-controls",
      ]),
    ).toEqual({
      ok: true,
      port: 0,
      host: "0.0.0.0",
      db: ":memory:",
      seedFile: "s.yaml",
      profile: "gitlab-8.17",
      controls: false,
      help: false,
    });
  });

  it("takes a PostgreSQL URL with a data directory for the artifacts", () => {
    expect(
      parseServeArgs(["--db", "postgres://ci@db:5432/buildsim?schema=team", "--data", "d"]),
    ).toMatchObject({
      ok: true,
      db: "postgres://ci@db:5432/buildsim?schema=team",
      dataDir: "d",
    });
  });

  it.each([
    [["--port", "abc"], /--port must be an integer/],
    [["--port", "70000"], /--port must be an integer/],
    [["--db", "file.db"], /--db accepts :memory: or a postgres:\/\/ URL/],
    [["--db", ":memory:", "--data", "d"], /cannot be combined/],
    [["--profile", "gitlab-9"], /--profile must be docs or gitlab-8.17/],
    [["--nope"], /^unknown option --nope$/],
    [["-p"], /^-p\/--port needs a value$/],
    [["extra"], /^unexpected argument "extra"$/],
  ])("rejects %j", (argv, message) => {
    const parsed = parseServeArgs(argv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});

describe("runServe", () => {
  // The admin API lives outside GitLab's paths; with the controls off it is not there at all: GitLab's
  // catch-all 404 for a path the API does not have (Grape's `{"error": "404 Not Found"}`).
  it("answers 404 on the admin API with --no-controls, and keeps serving GitLab's API", async () => {
    const lines: string[] = [];
    const server = (await runServe(
      ["--port", "0", "--db", testDatabase("serve"), "--seed", SEED, "--no-controls"],
      {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
        handleSignals: false,
      },
    )) as RunningServer;
    try {
      expect(lines).toContain("contract-testing controls: off (--no-controls)");
      const headers = { "PRIVATE-TOKEN": "9koXpg98eAheJpvBs5tK" };
      for (const [method, path] of [
        ["POST", "/-/buildsim/admin/reset"],
        ["GET", "/-/buildsim/admin/requests"],
        ["POST", "/-/buildsim/admin/clock/freeze"],
      ] as const) {
        const res = await fetch(`${server.url}${path}`, { method, headers });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(await res.json()).toEqual({ error: "404 Not Found" });
      }
      expect((await fetch(`${server.url}/api/v3/projects/1/builds/8`, { headers })).status).toBe(200);
      expect(() => server.reset()).toThrow("this server was started with controls: false");
    } finally {
      await server.close();
    }
  });

  it("prints the URL and a token that works against the API", async () => {
    const lines: string[] = [];
    const result = await runServe(["--port", "0", "--db", testDatabase("serve"), "--seed", SEED], {
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
      handleSignals: false,
    });
    const server = result as RunningServer;
    try {
      expect(lines[0]).toBe(`buildsim listening on ${server.url} (profile docs)`);
      expect(lines).toContain("token: 9koXpg98eAheJpvBs5tK");
      const res = await fetch(`${server.url}/api/v3/projects/1/builds/8`, {
        headers: { "PRIVATE-TOKEN": "9koXpg98eAheJpvBs5tK" },
      });
      expect(res.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("creates an admin with a fresh token when the data directory is empty", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-cli-"));
    const lines: string[] = [];
    try {
      // On PostgreSQL the data directory keeps only artifacts; an empty schema is the empty database.
      const db = onPostgres() ? ["--db", newPostgresDatabase("serve")] : [];
      const server = (await runServe(["--port", "0", "--data", dataDir, ...db], {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
        handleSignals: false,
      })) as RunningServer;
      try {
        const token = lines.find((l) => l.startsWith("token: "))?.slice(7) ?? "";
        expect(token.length).toBeGreaterThan(10);
        const res = await fetch(`${server.url}/api/v3/projects/1/builds`, {
          headers: { "PRIVATE-TOKEN": token },
        });
        expect(res.status).toBe(404);
        expect(await res.json()).toEqual({ message: "404 Project Not Found" });
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("exits 1 with every problem of an invalid seed", async () => {
    const lines: string[] = [];
    const dir = mkdtempSync(path.join(os.tmpdir(), "buildsim-cli-seed-"));
    try {
      const seed = path.join(dir, "bad.yaml");
      (await import("node:fs")).writeFileSync(
        seed,
        "builds:\n  - { name: a, pipeline: 1, status: started }\n",
      );
      const code = await runServe(["--port", "0", "--db", testDatabase("serve"), "--seed", seed], {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
        handleSignals: false,
      });
      expect(code).toBe(1);
      expect(lines.join("\n")).toContain("builds[0].status: must be one of");
      expect(lines.join("\n")).toContain("builds[0].pipeline: must name a declared pipeline");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers a usage error with exit code 2", async () => {
    const lines: string[] = [];
    expect(
      await runServe(["--port", "x"], {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
        handleSignals: false,
      }),
    ).toBe(2);
    // One line naming the problem and one pointing at the help, not the whole usage text.
    expect(lines).toEqual([
      "buildsim serve: --port must be an integer from 0 to 65535, got x",
      "see 'buildsim serve --help'",
    ]);
  });
});
