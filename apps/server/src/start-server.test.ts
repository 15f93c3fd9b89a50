import { Type } from "@sinclair/typebox";
import { afterEach, describe, expect, it } from "vitest";
import { jsonReply } from "./http/reply.js";
import { json } from "./http/route-spec.js";
import { actedBuild } from "./routes/access.js";
import type { RunningServer } from "./start-server.js";
import { api, ROOT_TOKEN, SEED_DOC_FILE, startTestServer } from "./test-support/start-test-server.js";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("startServer", () => {
  it("listens on a free port before resolving and reports its URL", async () => {
    server = await startTestServer();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/api/v3/projects/1/builds`);
    expect(res.status).toBe(401);
  });

  it("creates an admin and hands out its token when the database has no users", async () => {
    server = await startTestServer();
    expect(server.token).toBe("tok-000001");
    expect(server.store.users.getByToken(server.token)?.isAdmin).toBe(true);
  });

  it("hands out an existing admin's token when the seed has one", async () => {
    server = await startTestServer({ seedFile: SEED_DOC_FILE });
    expect(server.token).toBe(ROOT_TOKEN);
  });

  it("serves routes added by another API version before the catch-all 404", async () => {
    server = await startTestServer({
      routes: (router) =>
        router.add("GET", "/api/v5/version", () => jsonReply(200, { version: "x" }), {
          summary: "v5 version",
          api: "meta",
          responses: { 200: json("The version", Type.Object({ version: Type.String() })) },
        }),
    });
    expect(await (await fetch(`${server.url}/api/v5/version`)).json()).toEqual({ version: "x" });
    // The extension's route is in the OpenAPI document with its contract.
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(doc.paths["/api/v5/version"]).toMatchObject({ get: { summary: "v5 version" } });
  });

  it("runs extensions before listening and closes them before the HTTP server", async () => {
    const order: string[] = [];
    server = await startTestServer({
      extensions: [
        ({ httpServer }) => {
          order.push(`extended, listening=${httpServer.listening}`);
          return { close: () => void order.push(`closed, listening=${httpServer.listening}`) };
        },
      ],
    });
    await server.close();
    server = undefined;
    expect(order).toEqual(["extended, listening=false", "closed, listening=true"]);
  });

  it("closes idle keep-alive connections instead of waiting for them", async () => {
    server = await startTestServer({ seedFile: SEED_DOC_FILE });
    await (await api(server, "/api/v3/projects/1/builds", { token: ROOT_TOKEN })).arrayBuffer();
    const { httpServer } = server;
    await server.close();
    server = undefined;
    expect(httpServer.listening).toBe(false);
  });

  it("rejects when the port is taken, leaving nothing open", async () => {
    server = await startTestServer();
    await expect(startTestServer({ port: server.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe("a build action's refusal", () => {
  it("is worded for the v4 Jobs API as a Job, and a missing build stays 404 Not Found", () => {
    expect(() => actedBuild({ ok: false, refusal: "not_retryable" }, "v4")).toThrow(
      expect.objectContaining({ body: { message: "403 Forbidden - Job is not retryable" } }),
    );
    expect(() => actedBuild({ ok: false, refusal: "not_erasable" }, "v4")).toThrow(
      expect.objectContaining({ body: { message: "403 Forbidden - Job is not erasable!" } }),
    );
    expect(() => actedBuild({ ok: false, refusal: "not_found" }, "v4")).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
    expect(() => actedBuild({ ok: false, refusal: "not_retryable" }, "v3")).toThrow(
      expect.objectContaining({ body: { message: "403 Forbidden - Build is not retryable" } }),
    );
  });
});
