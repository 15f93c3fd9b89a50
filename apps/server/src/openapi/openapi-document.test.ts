// The OpenAPI document the server serves: valid OpenAPI 3.1 (checked with @seriousme/openapi-schema-validator),
// one operation for every route of the route table, each with a contract.

import { Validator } from "@seriousme/openapi-schema-validator";
import { afterEach, describe, expect, it } from "vitest";
import type { RouteEntry } from "../http/router.js";
import type { RunningServer } from "../start-server.js";
import { createConformanceCheck } from "../test-support/openapi-conformance.js";
import { api, startTestServer } from "../test-support/start-test-server.js";
import { OPENAPI_PATH, type OpenApiDocument } from "./openapi-document.js";

let server: RunningServer | undefined;
afterEach(() => server?.close());

async function served(): Promise<{ doc: OpenApiDocument; routes: RouteEntry[] }> {
  let routes: () => RouteEntry[] = () => [];
  server = await startTestServer({
    extensions: [
      ({ router }) => {
        routes = () => router.list();
        return undefined;
      },
    ],
  });
  const res = await api(server, OPENAPI_PATH);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/json");
  return { doc: (await res.json()) as OpenApiDocument, routes: routes() };
}

describe(`GET ${OPENAPI_PATH}`, () => {
  it("serves a valid OpenAPI 3.1 document, without a token", async () => {
    const { doc } = await served();
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("has one operation, with a summary and a success response, for every route the server serves", async () => {
    const { doc, routes } = await served();
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      const path = route.pattern.replace(/[:*](\w+)/g, "{$1}");
      const op = doc.paths[path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.pattern}`).toBeDefined();
      expect(op?.summary, `${route.method} ${route.pattern}`).toEqual(expect.any(String));
      expect(Object.keys(op?.responses ?? {}).filter((s) => s !== "default").length).toBeGreaterThan(0);
    }
    const operations = Object.values(doc.paths).flatMap((item) => Object.keys(item));
    expect(operations).toHaveLength(routes.length);
  });

  it("references core's entities by name instead of repeating them", async () => {
    const { doc } = await served();
    const op = doc.paths["/api/v4/projects/{id}/jobs/{job_id}"]?.get;
    expect(op?.responses["200"]?.content?.["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/Job",
    });
    expect(doc.components).toMatchObject({
      schemas: { Job: { type: "object" }, ApiError: { anyOf: expect.any(Array) } },
    });
  });

  it("lets the tests' api() helper refuse a response that does not conform", async () => {
    const check = createConformanceCheck((await served()).doc);
    const job = "/api/v4/projects/1/jobs/7";
    const ok = (s: string | null) => s === null;
    expect(check("GET", job, 200, "application/json", JSON.stringify({ id: "seven" }))).toMatch(
      /must have required property|must be number/,
    );
    expect(check("GET", job, 201, "application/json", "{}")).toBe(
      `GET ${job}: status 201 is not in the document`,
    );
    expect(
      ok(check("GET", job, 404, "application/json", JSON.stringify({ message: "404 Job Not Found" }))),
    ).toBe(true);
    expect(check("GET", job, 404, "application/json", JSON.stringify({ oops: 1 }))).not.toBeNull();
    expect(check("GET", `${job}/trace`, 200, "application/json", "{}")).toMatch(/content type/);
    expect(ok(check("GET", "/api/v9/unknown", 200, "text/html", "<p>"))).toBe(true);
  });
});
