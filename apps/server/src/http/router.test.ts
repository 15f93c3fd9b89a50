import { describe, expect, it } from "vitest";
import type { RouteSpec } from "./route-spec.js";
import { Router } from "./router.js";

const SPEC = { summary: "test", responses: {} } as unknown as RouteSpec;

describe("the router", () => {
  it("answers a path asked again as it did the first time, per method, with frozen params", () => {
    const router = new Router<string>()
      .add("GET", "/projects/:id/jobs/:job_id", "job", SPEC)
      .add("POST", "/projects/:id/jobs/:job_id/retry", "retry", SPEC)
      .add("GET", "/projects/:id/files/*path", "file", SPEC);
    for (let round = 0; round < 2; round++) {
      expect(router.match("GET", "/projects/1/jobs/7")).toEqual({
        kind: "found",
        handler: "job",
        params: { id: "1", job_id: "7" },
      });
      expect(router.match("HEAD", "/projects/1/jobs/7")).toMatchObject({ kind: "found", handler: "job" });
      expect(router.match("GET", "/projects/1/jobs/7/retry")).toEqual({ kind: "method-not-allowed" });
      expect(router.match("GET", "/projects/1/files/a%2Fb/c")).toMatchObject({ params: { path: "a/b/c" } });
      expect(router.match("GET", "/projects/1/jobs/%E0%A4%A")).toEqual({ kind: "not-found" });
    }
    const found = router.match("GET", "/projects/1/jobs/7");
    if (found.kind !== "found") throw new Error("no match");
    expect(() => {
      found.params.id = "2";
    }).toThrow(TypeError);
    // A path longer than what is kept is matched all the same.
    const long = `/projects/1/files/${"x".repeat(300)}`;
    expect(router.match("GET", long)).toMatchObject({ kind: "found", params: { path: "x".repeat(300) } });
  });

  it("matches a route added after a path was asked", () => {
    const router = new Router<string>().add("GET", "/a/:id", "a", SPEC);
    expect(router.match("GET", "/b/1")).toEqual({ kind: "not-found" });
    router.add("GET", "/b/:id", "b", SPEC);
    expect(router.match("GET", "/b/1")).toMatchObject({ kind: "found", handler: "b" });
  });
});
