// Every example response of the seed document, checked against the server loaded with the data behind
// the examples: read examples value for value by id, action examples key for key with implied values.

import { existsSync, readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import {
  loadSeedExamples,
  SEED_COPY_FILE,
  type SeedExample,
  SHARED_SEED_FILE,
} from "../../test-support/seed-examples.js";
import { api, ROOT_TOKEN, SEED_DOC_FILE, startTestServer } from "../../test-support/start-test-server.js";

type Entity = Record<string, unknown> & { id: number };

const examples = loadSeedExamples();
const exampleFor = (endpoint: string): SeedExample => {
  const found = examples.filter((e) => e.endpoint === endpoint);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const SHA = "0ff3ae198f8601a285adcf5c0fff204ee6fba5fd";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedFile: SEED_DOC_FILE });
});
afterEach(() => server.close());

async function call(
  method: string,
  path: string,
): Promise<{ status: number; body: unknown; type: string | null }> {
  const res = await api(server, `/api/v3${path}`, { method, token: ROOT_TOKEN });
  return { status: res.status, body: await res.json(), type: res.headers.get("content-type") };
}

describe("the seed document's examples", () => {
  it("are all found: 7 endpoints with an example response", () => {
    expect(examples.map((e) => e.endpoint)).toEqual([
      "GET /projects/:id/builds",
      "GET /projects/:id/repository/commits/:sha/builds",
      "GET /projects/:id/builds/:build_id",
      "POST /projects/:id/builds/:build_id/cancel",
      "POST /projects/:id/builds/:build_id/retry",
      "POST /projects/:id/builds/:build_id/erase",
      "POST /projects/:id/builds/:build_id/artifacts/keep",
    ]);
  });

  it.runIf(existsSync(SHARED_SEED_FILE))("bundled copy is identical to ../shared/seed", () => {
    expect(readFileSync(SEED_COPY_FILE, "utf8")).toBe(readFileSync(SHARED_SEED_FILE, "utf8"));
  });
});

describe("read examples, value for value by id", () => {
  it("list project builds: every example build equals the served one", async () => {
    const example = exampleFor("GET /projects/:id/builds").json as Entity[];
    const { status, body, type } = await call("GET", "/projects/1/builds");
    expect(status).toBe(200);
    expect(type).toBe("application/json");
    for (const build of example) {
      const served = (body as Entity[]).find((b) => b.id === build.id);
      expect(served).toEqual(build);
      expect(Object.keys(served!)).toEqual(Object.keys(build));
    }
  });

  it("list commit builds: every example build equals the served one", async () => {
    const example = exampleFor("GET /projects/:id/repository/commits/:sha/builds").json as Entity[];
    const { status, body } = await call("GET", `/projects/1/repository/commits/${SHA}/builds`);
    expect(status).toBe(200);
    for (const build of example) {
      const served = (body as Entity[]).find((b) => b.id === build.id);
      expect(served).toEqual(build);
      expect(Object.keys(served!)).toEqual(Object.keys(build));
    }
  });

  it("get a single build: equals the example exactly", async () => {
    const example = exampleFor("GET /projects/:id/builds/:build_id").json as Entity;
    const { status, body } = await call("GET", `/projects/1/builds/${example.id}`);
    expect(status).toBe(200);
    expect(body).toEqual(example);
    expect(Object.keys(body as Entity)).toEqual(Object.keys(example));
  });
});

describe("action examples, key for key with the values the action implies", () => {
  it("cancel of the already-canceled build 69 is a no-op answered 201 with the example", async () => {
    const example = exampleFor("POST /projects/:id/builds/:build_id/cancel").json as Entity;
    const { status, body } = await call("POST", `/projects/1/builds/${example.id}/cancel`);
    expect(status).toBe(201);
    expect(Object.keys(body as Entity)).toEqual(Object.keys(example));
    expect(body).toEqual(example);
  });

  it("retry answers a new pending build with the example's keys, owned by the caller", async () => {
    const example = exampleFor("POST /projects/:id/builds/:build_id/retry").json as Entity;
    const root = ((await call("GET", "/projects/1/builds/8")).body as Entity).user;
    const { status, body } = await call("POST", `/projects/1/builds/${example.id}/retry`);
    expect(status).toBe(201);
    const b = body as Entity;
    expect(Object.keys(b)).toEqual(Object.keys(example));
    expect(b.id).toBeGreaterThan(example.id);
    expect(b).toEqual({
      ...example,
      id: b.id,
      created_at: server.app.now(),
      user: root,
    });
    expect(b.status).toBe("pending");
    expect(b.started_at).toBeNull();
    expect(b.finished_at).toBeNull();
    const original = (await call("GET", `/projects/1/builds/${example.id}`)).body as Entity;
    expect(original.status).toBe("canceled");
  });

  it("erase answers 201 with the example's keys, download_url null and the build otherwise unchanged", async () => {
    const example = exampleFor("POST /projects/:id/builds/:build_id/erase").json as Entity;
    const before = (await call("GET", "/projects/1/builds/7")).body as Entity;
    const { status, body } = await call("POST", "/projects/1/builds/7/erase");
    expect(status).toBe(201);
    expect(Object.keys(body as Entity)).toEqual(Object.keys(example));
    const { artifacts_file: _gone, ...rest } = before;
    expect(body).toEqual({ ...rest, download_url: null });
    expect((await call("GET", "/projects/1/builds/7/artifacts")).status).toBe(404);
    const after = (await call("GET", "/projects/1/builds/7")).body as Entity;
    expect(after.artifacts_file).toBeNull();
  });

  it("keep answers 200 with the example's keys and download_url null", async () => {
    const example = exampleFor("POST /projects/:id/builds/:build_id/artifacts/keep").json as Entity;
    const before = (await call("GET", "/projects/1/builds/7")).body as Entity;
    const { status, body } = await call("POST", "/projects/1/builds/7/artifacts/keep");
    expect(status).toBe(200);
    expect(Object.keys(body as Entity)).toEqual(Object.keys(example));
    const { artifacts_file: _omitted, ...rest } = before;
    expect(body).toEqual({ ...rest, download_url: null });
  });
});

describe("the seed's prose for artifacts and trace", () => {
  it("serves build 7's artifacts file as an attachment", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/7/artifacts", { token: ROOT_TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("content-disposition")).toBe("attachment; filename=artifacts.zip");
    expect((await res.arrayBuffer()).byteLength).toBe(1000);
  });

  it("answers 404 for the artifacts of a build without any", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/8/artifacts", { token: ROOT_TOKEN });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404 Not Found" });
  });

  it("serves build 8's trace as text/plain with the infile disposition", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/8/trace", { token: ROOT_TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(res.headers.get("content-disposition")).toBe('infile; filename="8.log"');
    expect(await res.text()).toBe("$ bundle exec rubocop\n12 files inspected, 3 offenses detected\n");
  });

  it("masks the project's runners token in a trace", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/6/trace", { token: ROOT_TOKEN });
    const text = await res.text();
    expect(text).not.toContain("ExampleRunnersToken1");
    expect(text).toContain(`with token ${"x".repeat("ExampleRunnersToken1".length)}`);
  });

  it("answers 404 for the trace of a build without one (the seed's 'no trace file')", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/7/trace", { token: ROOT_TOKEN });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404 Not Found" });
  });
});
