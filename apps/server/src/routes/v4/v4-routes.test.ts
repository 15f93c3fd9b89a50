// The v4 routes over HTTP: content type, pagination headers and Link filters, GitLab's error bodies,
// authentication forms (private, Bearer, JOB-TOKEN, anonymous downloads) and current GitLab's permissions.

import { request } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: JOBS_V4_SEED });
});
afterEach(() => server.close());

const call = async (path: string, init: RequestInit & { token?: string | null } = {}) => {
  const res = await api(server, `/api/v4${path}`, { token: V4_TOKENS.root, ...init });
  const text = await res.text();
  let body: unknown = text;
  if (res.headers.get("content-type") === "application/json") body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body };
};
/** A GET with a body (fetch refuses one), as python-gitlab and old clients send it. */
function rawGet(path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/api/v4${path}`,
      {
        method: "GET",
        headers: {
          "PRIVATE-TOKEN": V4_TOKENS.root,
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
const ids = (body: unknown) => (body as Array<{ id: number }>).map((j) => j.id);

describe("GET /projects/:id/jobs", () => {
  it("answers exactly application/json with the seven pagination headers", async () => {
    const r = await call("/projects/1/jobs?per_page=2&page=2");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(ids(r.body)).toEqual([3, 2]);
    expect(r.headers.get("x-total")).toBe("5");
    expect(r.headers.get("x-total-pages")).toBe("3");
    expect(r.headers.get("x-page")).toBe("2");
    expect(r.headers.get("x-next-page")).toBe("3");
    expect(r.headers.get("x-prev-page")).toBe("1");
    const rels = (r.headers.get("link") ?? "").split(", ").map((l) => /rel="(\w+)"/.exec(l)?.[1]);
    expect(rels).toEqual(["prev", "next", "first", "last"]);
  });

  it("reports at least one page for an empty list, as GitLab 9.5+ does", async () => {
    const r = await call("/projects/1/jobs?scope=created");
    expect(r.body).toEqual([]);
    expect(r.headers.get("x-total")).toBe("0");
    expect(r.headers.get("x-total-pages")).toBe("1");
    expect(r.headers.get("x-next-page")).toBe("");
    expect(r.headers.get("link")).toContain('page=1&per_page=20&scope%5B%5D=created>; rel="last"');
  });

  it.each([
    ["?scope=manual", [5]],
    ["?scope[]=success&scope[]=failed", [3, 2, 1]],
    ["?scope[0]=running", [4]],
    ["?scope=running&scope=manual", [5, 4]],
    ["?scope[]=created", []],
    ["?scope[]=waiting_for_resource", []],
  ])("filters %s", async (query, expected) => {
    const r = await call(`/projects/1/jobs${query}`);
    expect(r.status).toBe(200);
    expect(ids(r.body)).toEqual(expected);
  });

  it.each(["?scope=bogus", "?scope[]=", "?scope=", "?scope[a][b]=x"])(
    "rejects %s with 400 scope does not have a valid value",
    async (query) => {
      const r = await call(`/projects/1/jobs${query}`);
      expect(r).toMatchObject({ status: 400, body: { error: "scope does not have a valid value" } });
    },
  );

  it("keeps every filter in the Link URLs, so following next gives the next filtered page", async () => {
    const first = await call("/projects/1/jobs?scope=success&scope=failed&per_page=1&all=True");
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("link") ?? "")?.[1] ?? "";
    expect(next).toContain("scope%5B%5D=success&scope%5B%5D=failed");
    expect(next).toContain("all=True");
    const second = await fetch(next, { headers: { "PRIVATE-TOKEN": V4_TOKENS.root } });
    expect(ids(await second.json())).toEqual([2]);
  });

  it("ignores unknown params and accepts a JSON {} body on a GET", async () => {
    const r = await rawGet(
      "/projects/1/jobs?all=True&include_retried=True&order_by=id&pagination=offset",
      "{}",
    );
    expect(r.status).toBe(200);
    expect(ids(JSON.parse(r.text))).toEqual([5, 4, 3, 2, 1]);
  });

  it("is refused (403) to a guest without read_build and hidden (404) from an outsider", async () => {
    const guest = await call("/projects/1/jobs", { token: V4_TOKENS.guest });
    expect(guest).toMatchObject({ status: 403, body: { message: "403 Forbidden" } });
    const outsider = await call("/projects/2/jobs", { token: V4_TOKENS.outsider });
    expect(outsider).toMatchObject({ status: 404, body: { message: "404 Project Not Found" } });
  });
});

describe("GET /projects/:id/pipelines/:pipeline_id/jobs", () => {
  it("lists the pipeline's jobs oldest first", async () => {
    expect(ids((await call("/projects/1/pipelines/1/jobs")).body)).toEqual([1, 2, 3]);
  });

  it("answers 404 Not found for a pipeline of no such id or of another project", async () => {
    for (const id of [99, 3]) {
      const r = await call(`/projects/1/pipelines/${id}/jobs`);
      expect(r).toMatchObject({ status: 404, body: { message: "404 Not found" } });
    }
  });

  it("answers 400 pipeline_id is invalid for a non-integer id", async () => {
    const r = await call("/projects/1/pipelines/abc/jobs");
    expect(r).toMatchObject({ status: 400, body: { error: "pipeline_id is invalid" } });
  });
});

describe("one job", () => {
  it("answers 400 job_id is invalid and 404 Not found", async () => {
    expect(await call("/projects/1/jobs/abc")).toMatchObject({
      status: 400,
      body: { error: "job_id is invalid" },
    });
    expect(await call("/projects/1/jobs/6")).toMatchObject({
      status: 404,
      body: { message: "404 Not found" },
    });
  });

  it("serves an empty text/plain trace for a job without one", async () => {
    const r = await call("/projects/1/jobs/5/trace");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/plain");
    expect(r.headers.get("content-disposition")).toBe('infile; filename="5.log"');
    expect(r.body).toBe("");
  });

  it("serves one file out of the zip, 400 for a traversal, 404 for a missing entry or expired artifacts", async () => {
    const file = await call("/projects/1/jobs/1/artifacts/out/a.txt");
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/octet-stream");
    expect(file.body).toBe("A\n");
    expect(await call("/projects/1/jobs/1/artifacts/out%2F..%2Fx")).toMatchObject({
      status: 400,
      body: { message: "400 Bad request" },
    });
    expect((await call("/projects/1/jobs/1/artifacts/out/none.txt")).status).toBe(404);
    expect((await call("/projects/1/jobs/3/artifacts/anything")).status).toBe(404);
    // The whole archive only needs the file to exist, as in GitLab.
    expect((await call("/projects/1/jobs/3/artifacts")).status).toBe(200);
  });

  it("serves by-ref downloads of the newest successful pipeline, 404 Not found otherwise", async () => {
    expect((await call("/projects/1/jobs/artifacts/master/raw/out/a.txt?job=compile")).body).toBe("A\n");
    expect(await call("/projects/1/jobs/artifacts/feature/download?job=lint")).toMatchObject({
      status: 404,
      body: { message: "404 Not found" },
    });
    expect(await call("/projects/1/jobs/artifacts/master/download")).toMatchObject({
      status: 400,
      body: { error: "job is missing" },
    });
  });
});

describe("actions", () => {
  it("answer 201 for cancel/retry/erase, 200 for play/keep, 204 with no body for DELETE artifacts", async () => {
    expect((await call("/projects/1/jobs/4/cancel", { method: "POST" })).status).toBe(201);
    expect((await call("/projects/1/jobs/2/retry", { method: "POST" })).status).toBe(201);
    expect((await call("/projects/1/jobs/2/erase", { method: "POST" })).status).toBe(201);
    expect((await call("/projects/1/jobs/5/play", { method: "POST" })).status).toBe(200);
    expect((await call("/projects/1/jobs/1/artifacts/keep", { method: "POST" })).status).toBe(200);
    const deleted = await call("/projects/1/jobs/1/artifacts", { method: "DELETE", body: "{}" });
    expect(deleted).toMatchObject({ status: 204, body: "" });
    expect((await call("/projects/1/jobs/1/artifacts")).status).toBe(404);
    expect((await call("/projects/1/jobs/1/trace")).body).toBe("built\n");
  });

  // GitLab 17.0: forbidden!("Job is not retryable"), bad_request!("Unplayable Job") → "400 Bad request - …".
  it("say Job where v3 says Build, in 17.0's words", async () => {
    expect(await call("/projects/1/jobs/5/retry", { method: "POST" })).toMatchObject({
      status: 403,
      body: { message: "403 Forbidden - Job is not retryable" },
    });
    expect(await call("/projects/1/jobs/5/erase", { method: "POST" })).toMatchObject({
      status: 403,
      body: { message: "403 Forbidden - Job is not erasable!" },
    });
    expect(await call("/projects/1/jobs/4/play", { method: "POST" })).toMatchObject({
      status: 400,
      body: { message: "400 Bad request - Unplayable Job" },
    });
  });

  it("play a finished manual job by retrying it and answer with the played job", async () => {
    await call("/projects/1/jobs/5/play", { method: "POST" });
    await call("/projects/1/jobs/5/cancel", { method: "POST" });
    const again = await call("/projects/1/jobs/5/play", { method: "POST" });
    expect(again).toMatchObject({ status: 200, body: { id: 5, status: "canceled" } });
    expect(ids((await call("/projects/1/jobs?scope=pending")).body)).toEqual([8]);
  });
});

describe("permissions (current GitLab)", () => {
  type Row = [string, string, string, number];
  const rows: Row[] = [
    ["reporter", "GET", "/projects/1/jobs", 200],
    ["reporter", "POST", "/projects/1/jobs/4/cancel", 403],
    ["reporter", "POST", "/projects/1/jobs/5/play", 403],
    ["developer", "POST", "/projects/1/jobs/4/cancel", 201],
    ["developer", "POST", "/projects/1/jobs/1/artifacts/keep", 200],
    ["developer", "DELETE", "/projects/1/jobs/1/artifacts", 403],
    ["master", "DELETE", "/projects/1/jobs/1/artifacts", 204],
    ["outsider", "GET", "/projects/1/jobs/1", 404],
  ];
  it.each(rows)("%s %s %s → %i", async (who, method, path, status) => {
    const token = V4_TOKENS[who as keyof typeof V4_TOKENS];
    expect((await call(path, { method, token })).status).toBe(status);
  });
});

describe("authentication forms", () => {
  it("takes Authorization: Bearer and rejects an unknown one with 401", async () => {
    const ok = await call("/user", {
      token: null,
      headers: { Authorization: `Bearer ${V4_TOKENS.developer}` },
    });
    expect(ok).toMatchObject({ status: 200, body: { username: "developer" } });
    const bad = await call("/user", { token: null, headers: { Authorization: "Bearer nope" } });
    expect(bad).toMatchObject({ status: 401, body: { message: "401 Unauthorized" } });
  });

  it("lets a running job's JOB-TOKEN read its own project only, and never act", async () => {
    const headers = { "JOB-TOKEN": V4_TOKENS.runningJob };
    expect((await call("/projects/1/jobs/1", { token: null, headers })).status).toBe(200);
    expect((await call("/projects/2/jobs/6", { token: null, headers })).status).toBe(404);
    expect((await call("/projects/1/jobs/1/cancel", { token: null, headers, method: "POST" })).status).toBe(
      403,
    );
  });

  it("refuses the JOB-TOKEN of a finished job with 401", async () => {
    const headers = { "JOB-TOKEN": V4_TOKENS.finishedJob };
    expect((await call("/projects/1/jobs/1", { token: null, headers })).status).toBe(401);
  });

  it("allows anonymous artifact downloads only where GitLab does (public project, public jobs)", async () => {
    expect((await call("/projects/3/jobs/7/artifacts/o.txt", { token: null })).body).toBe("O");
    expect((await call("/projects/3/jobs/7/artifacts", { token: null })).status).toBe(200);
    expect((await call("/projects/1/jobs/1/artifacts", { token: null })).status).toBe(404);
    expect((await call("/projects/3/jobs/7", { token: null })).status).toBe(401);
    expect((await call("/projects/3/jobs/7/artifacts", { token: "wrong" })).status).toBe(401);
  });
});

describe("around the jobs", () => {
  it("answers /version and /projects/:id by numeric id or encoded path", async () => {
    expect((await call("/version")).body).toEqual({ version: "17.0.0", revision: "buildsim" });
    expect((await call("/projects/acme%2Fapp")).body).toMatchObject({
      id: 1,
      path_with_namespace: "acme/app",
    });
    expect((await call("/projects/1")).body).toMatchObject({ web_url: "http://gitlab.example/acme/app" });
  });

  // GitLab finds a project by full path case-insensitively (Routable.find_by_full_path, `iexact`).
  it("finds a project by its path in any case, on v3 and v4", async () => {
    expect((await call("/projects/ACME%2FApp")).body).toMatchObject({
      id: 1,
      path_with_namespace: "acme/app",
    });
    expect((await call("/projects/Acme%2FAPP/jobs/1")).status).toBe(200);
    const v3 = await api(server, "/api/v3/projects/ACME%2Fapp/builds/1", { token: V4_TOKENS.root });
    expect(v3.status).toBe(200);
  });

  it("filters pipelines by status, ref, scope and sorts them", async () => {
    expect(ids((await call("/projects/1/pipelines")).body)).toEqual([2, 1]);
    expect(ids((await call("/projects/1/pipelines?ref=feature")).body)).toEqual([2]);
    expect(ids((await call("/projects/1/pipelines?status=running")).body)).toEqual([2]);
    expect(ids((await call("/projects/1/pipelines?scope=finished")).body)).toEqual([1]);
    expect(ids((await call("/projects/1/pipelines?scope=tags")).body)).toEqual([]);
    expect(ids((await call("/projects/1/pipelines?sort=asc")).body)).toEqual([1, 2]);
    expect(await call("/projects/1/pipelines?scope=nope")).toMatchObject({
      status: 400,
      body: { error: "scope does not have a valid value" },
    });
    expect(await call("/projects/1/pipelines/3")).toMatchObject({
      status: 404,
      body: { message: "404 Not found" },
    });
    expect((await call("/projects/1/pipelines/2")).body).toMatchObject({ id: 2, iid: 2, status: "running" });
  });
});
