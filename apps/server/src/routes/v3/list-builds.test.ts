import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { api, ROOT_TOKEN, SEED_DOC_FILE, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedFile: SEED_DOC_FILE });
});
afterEach(() => server.close());

describe("GET /api/v3/projects/:id/builds", () => {
  it("lists the project's builds newest first as application/json", async () => {
    const res = await api(server, "/api/v3/projects/1/builds", { token: ROOT_TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = (await res.json()) as Array<{ id: number }>;
    expect(body.map((b) => b.id)).toEqual([69, 9, 8, 7, 6]);
  });

  it("sends all seven pagination headers with a Link that keeps the filters", async () => {
    const res = await api(server, "/api/v3/projects/1/builds?scope[]=failed&per_page=2", {
      token: ROOT_TOKEN,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-total")).toBe("4");
    expect(res.headers.get("x-total-pages")).toBe("2");
    expect(res.headers.get("x-per-page")).toBe("2");
    expect(res.headers.get("x-page")).toBe("1");
    expect(res.headers.get("x-next-page")).toBe("2");
    expect(res.headers.get("x-prev-page")).toBe("");
    const link = res.headers.get("link") ?? "";
    expect(link).toContain('rel="next"');
    expect(link).toContain("scope%5B%5D=failed");
    expect(link).toContain("page=2&per_page=2");
    expect(((await res.json()) as Array<{ id: number }>).map((b) => b.id)).toEqual([9, 8]);
  });

  it("answers 401 without a token", async () => {
    const res = await api(server, "/api/v3/projects/1/builds");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: "401 Unauthorized" });
  });
});

describe("GET /api/v3/projects/:id/builds/:build_id", () => {
  it("answers one build by id", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/8", { token: ROOT_TOKEN });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { name: string }).name).toBe("rubocop");
  });

  it("answers 404 Not Found for a build of no such id", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/12345", { token: ROOT_TOKEN });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404 Not Found" });
  });
});
