// Scope forms, pagination edge cases and the response cache of the v3 build lists.

import { afterEach, describe, expect, it } from "vitest";
import type { ApiProfile } from "../../profile.js";
import type { RunningServer } from "../../start-server.js";
import { ADMIN_TOKEN, PIPELINE_SEED } from "../../test-support/pipeline-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
afterEach(() => server.close());
const start = async (profile: ApiProfile = "docs") => {
  server = await startTestServer({ seedText: PIPELINE_SEED, profile });
};
const list = async (query: string) => {
  const res = await api(server, `/api/v3/projects/1/builds${query}`, { token: ADMIN_TOKEN });
  return { res, status: res.status, body: (await res.json()) as unknown };
};
const ids = (body: unknown) => (body as Array<{ id: number }>).map((b) => b.id);

describe("scope", () => {
  it.each([
    ["?scope=success", [6, 5]],
    ["?scope[]=success", [6, 5]],
    ["?scope[0]=success&scope[1]=failed", [6, 5, 1]],
    ["?scope[]=success&scope[]=running", [6, 5, 3]],
    ["?scope=success&scope=failed", [6, 5, 1]],
  ])("accepts %s under docs", async (query, expected) => {
    await start();
    const { status, body } = await list(query);
    expect(status).toBe(200);
    expect(ids(body)).toEqual(expected);
  });

  it.each([
    "?scope=created",
    "?scope=skipped",
    "?scope=manual",
    "?scope=bogus",
    "?scope=",
    "?scope[]=",
    "?scope[a][b]=success",
    "?scope[0][]=success",
    "?scope=success&scope=nope",
  ])("rejects %s with 400 scope does not have a valid value", async (query) => {
    await start();
    const { status, body } = await list(query);
    expect(status).toBe(400);
    expect(body).toEqual({ error: "scope does not have a valid value" });
  });

  it("rejects scope[]= under gitlab-8.17 but takes scope[0]=", async () => {
    await start("gitlab-8.17");
    expect((await list("?scope[]=success")).status).toBe(400);
    expect(ids((await list("?scope[0]=success")).body)).toEqual([6, 5]);
  });

  it("takes the last of a repeated scope= under gitlab-8.17, as Rack does", async () => {
    await start("gitlab-8.17");
    expect(ids((await list("?scope=failed&scope=success")).body)).toEqual([6, 5]);
  });
});

describe("pagination", () => {
  it("caps per_page at 100 and says so in X-Per-Page", async () => {
    await start();
    const { res } = await list("?per_page=1000");
    expect(res.headers.get("x-per-page")).toBe("100");
  });

  it.each(["0", "-5"])("treats per_page=%s as 20", async (perPage) => {
    await start();
    const { res } = await list(`?per_page=${perPage}`);
    expect(res.headers.get("x-per-page")).toBe("20");
  });

  it.each(["0", "-3"])("treats page=%s as page 1", async (page) => {
    await start();
    const { res, body } = await list(`?page=${page}&per_page=2`);
    expect(res.headers.get("x-page")).toBe("1");
    expect(ids(body)).toEqual([8, 7]);
  });

  it("answers an empty page past the end with X-Page as asked and no next", async () => {
    await start();
    const { res, body } = await list("?page=99999999999999999999&per_page=3");
    expect(body).toEqual([]);
    expect(res.headers.get("x-page")).toBe("99999999999999999999");
    expect(res.headers.get("x-next-page")).toBe("");
    expect(res.headers.get("x-prev-page")).toBe("99999999999999999998");
    expect(res.headers.get("x-total")).toBe("8");
    expect(res.headers.get("x-total-pages")).toBe("3");
  });

  it("says 0 total pages and links last to page=0 for an empty result (8.x)", async () => {
    await start();
    const { res, body } = await list("?scope=canceled");
    expect(body).toEqual([]);
    expect(res.headers.get("x-total")).toBe("0");
    expect(res.headers.get("x-total-pages")).toBe("0");
    expect(res.headers.get("link")).toContain('page=0&per_page=20&scope=canceled>; rel="last"');
  });

  it.each(["abc", "1.5", "1e3"])("rejects page=%s with 400 page is invalid", async (page) => {
    await start();
    const { status, body } = await list(`?page=${page}`);
    expect(status).toBe(400);
    expect(body).toEqual({ error: "page is invalid" });
  });

  it("rejects per_page=abc with 400 per_page is invalid", async () => {
    await start();
    expect((await list("?per_page=abc")).body).toEqual({ error: "per_page is invalid" });
  });

  it("builds Link URLs from every param, sorted as Rails to_query does", async () => {
    await start();
    const { res } = await list("?per_page=1&page=2&scope[]=success&scope[]=failed&all=False");
    const link = res.headers.get("link")!;
    const base = `${server.url}/api/v3/projects/1/builds`;
    expect(link).toBe(
      [
        `<${base}?all=False&id=1&page=1&per_page=1&scope%5B%5D=success&scope%5B%5D=failed>; rel="prev"`,
        `<${base}?all=False&id=1&page=3&per_page=1&scope%5B%5D=success&scope%5B%5D=failed>; rel="next"`,
        `<${base}?all=False&id=1&page=1&per_page=1&scope%5B%5D=success&scope%5B%5D=failed>; rel="first"`,
        `<${base}?all=False&id=1&page=3&per_page=1&scope%5B%5D=success&scope%5B%5D=failed>; rel="last"`,
      ].join(", "),
    );
  });

  it("walks every page by following Link rel=next, as python-gitlab does", async () => {
    await start();
    let next: string | null = `${server.url}/api/v3/projects/1/builds?per_page=3`;
    const seen: number[] = [];
    while (next) {
      const res: Response = await fetch(next, { headers: { "PRIVATE-TOKEN": ADMIN_TOKEN } });
      seen.push(...ids(await res.json()));
      next = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1] ?? null;
    }
    expect(seen).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });
});

describe("the response cache", () => {
  it("never serves a list from before a write", async () => {
    await start();
    const before = await list("?scope=running");
    expect(ids(before.body)).toEqual([3]);
    expect(ids((await list("?scope=running")).body)).toEqual([3]);
    const res = await api(server, "/api/v3/projects/1/builds/3/cancel", {
      method: "POST",
      token: ADMIN_TOKEN,
    });
    expect(res.status).toBe(201);
    const after = await list("?scope=running");
    expect(ids(after.body)).toEqual([]);
    expect(after.res.headers.get("x-total")).toBe("0");
  });

  it("sees writes made by services outside the HTTP layer", async () => {
    await start();
    expect(ids((await list("?scope=pending")).body)).toEqual([]);
    server.store.transaction(() => {
      const build = server.store.builds.get(4)!;
      server.app.transitions.fire(build, { type: "enqueue", at: server.app.now() });
    });
    expect(ids((await list("?scope=pending")).body)).toEqual([4]);
  });

  it("checks permissions before answering from the cache", async () => {
    await start();
    expect((await list("")).status).toBe(200);
    const res = await api(server, "/api/v3/projects/1/builds", { token: "wrong" });
    expect(res.status).toBe(401);
  });
});

describe("commit builds", () => {
  it("lists builds of every pipeline of the sha, newest first", async () => {
    await start();
    const res = await api(server, `/api/v3/projects/1/repository/commits/${"1".repeat(40)}/builds`, {
      token: ADMIN_TOKEN,
    });
    expect(ids(await res.json())).toEqual([4, 3, 2, 1]);
  });

  it("answers [] for a ref that resolves but is not a sha", async () => {
    await start();
    const res = await api(server, "/api/v3/projects/1/repository/commits/master/builds", {
      token: ADMIN_TOKEN,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it("answers 404 Not Found for an unknown commit", async () => {
    await start();
    const res = await api(server, `/api/v3/projects/1/repository/commits/${"9".repeat(40)}/builds`, {
      token: ADMIN_TOKEN,
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404 Not Found" });
  });
});

describe("the response cache and artifact expiry", () => {
  it("drops artifacts_file from a cached list once the artifacts expire, without any write", async () => {
    let nowMs = Date.parse("2029-12-31T23:59:00.000Z");
    server = await startTestServer({ seedText: PIPELINE_SEED, clock: () => new Date(nowMs) });
    const artifactsOf5 = async () => {
      const res = await api(server, "/api/v3/projects/1/builds?scope=success", { token: ADMIN_TOKEN });
      return ((await res.json()) as Array<{ id: number; artifacts_file: unknown }>).find((b) => b.id === 5)
        ?.artifacts_file;
    };
    expect(await artifactsOf5()).toEqual({ filename: "pkg.zip", size: 8 });
    nowMs = Date.parse("2030-01-01T00:00:00.000Z");
    expect(await artifactsOf5()).toBeNull();
  });
});
