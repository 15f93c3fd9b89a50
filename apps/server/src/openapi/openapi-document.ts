// Generates the OpenAPI 3.1 document of everything the route table serves, from each route's RouteSpec and
// core's schemas. Served at OPENAPI_PATH; validated by a test with an OpenAPI validator.

import type { TSchema } from "@sinclair/typebox";
import type { RouteSpec } from "../http/route-spec.js";
import type { RouteEntry } from "../http/router.js";
import { OPENAPI_COMPONENTS } from "./openapi-components.js";

/** Where the server serves its OpenAPI document. */
export const OPENAPI_PATH = "/api/openapi.json";

/** An OpenAPI 3.1 document, as JSON. */
export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, OpenApiOperation>>;
};
/** One operation; `x-buildsim-route` is the route's own pattern (`*name` matches slashes). */
export type OpenApiOperation = Record<string, unknown> & {
  "x-buildsim-route": string;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};

const refOf = new Map<TSchema, string>(
  Object.entries(OPENAPI_COMPONENTS).map(([name, schema]) => [schema, `#/components/schemas/${name}`]),
);

/** A plain JSON copy of `schema` in which every named component is a `$ref` (TypeBox's symbols dropped). */
function toJsonSchema(schema: unknown, root = true): unknown {
  if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(s, false));
  if (typeof schema !== "object" || schema === null) return schema;
  const ref = root ? undefined : refOf.get(schema as TSchema);
  if (ref) return { $ref: ref };
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, toJsonSchema(v, false)]));
}

/** `/projects/:id/jobs/*ref_name` → `/projects/{id}/jobs/{ref_name}`, with the parameters' names. */
function openApiPath(pattern: string): { path: string; params: Array<{ name: string; rest: boolean }> } {
  const params: Array<{ name: string; rest: boolean }> = [];
  const path = pattern.replace(/([:*])(\w+)/g, (_m, kind: string, name: string) => {
    params.push({ name, rest: kind === "*" });
    return `{${name}}`;
  });
  return { path, params };
}

function responsesOf(spec: RouteSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    if ("json" in r)
      out[status] = {
        description: r.description,
        content: { "application/json": { schema: toJsonSchema(r.json, false) } },
      };
    else if ("file" in r)
      out[status] = { description: r.description, content: { [r.file]: { schema: { type: "string" } } } };
    else out[status] = { description: r.description };
  }
  out.default = {
    description: "GitLab's error body, with its status (400, 401, 403, 404, 409, 413, …)",
    content: { "application/json": { schema: { $ref: "#/components/schemas/ApiError" } } },
  };
  return out;
}

function operationOf(route: RouteEntry): OpenApiOperation {
  const { spec } = route;
  const { params } = openApiPath(route.pattern);
  const parameters: unknown[] = params.map(({ name, rest }) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string" },
    ...(rest ? { description: "The rest of the path: may contain `/` (send it unencoded)" } : {}),
  }));
  const fields = spec.params ? toJsonSchema(spec.params) : undefined;
  const asQuery = route.method === "GET" || route.method === "DELETE" || spec.body !== undefined;
  if (fields && asQuery) {
    const { properties = {}, required = [] } = fields as {
      properties?: Record<string, unknown>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(properties))
      parameters.push({ name, in: "query", required: required.includes(name), schema });
  }
  const requestBody = spec.body
    ? {
        required: true,
        content: { [spec.body]: { schema: { type: "string", contentMediaType: spec.body } } },
      }
    : fields && !asQuery
      ? {
          content: {
            "application/json": { schema: fields },
            "application/x-www-form-urlencoded": { schema: fields },
          },
        }
      : undefined;
  return {
    operationId: `${route.method.toLowerCase()}${route.pattern.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ?? "").toUpperCase())}`,
    summary: spec.summary,
    tags: [spec.api],
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: responsesOf(spec),
    "x-buildsim-route": route.pattern,
  } as OpenApiOperation;
}

/** The document for `routes`, as `GET /api/openapi.json` serves it. */
export function buildOpenApiDocument(routes: readonly RouteEntry[], version: string): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const route of routes) {
    const { path } = openApiPath(route.pattern);
    paths[path] ??= {};
    (paths[path] as Record<string, OpenApiOperation>)[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: {
      title: "buildsim",
      version,
      description:
        "GitLab's v3 Builds API and v4 Jobs API as buildsim serves them, and the runner API. The runner and " +
        "trace-watcher WebSockets (`/-/buildsim/runner`, `/-/buildsim/trace`) are described in " +
        "docs/runner-protocol.md; their messages are @buildsim/core's schemas.",
    },
    tags: [
      { name: "v3", description: "GitLab 8.17's Builds API (`/api/v3`)" },
      { name: "v4", description: "GitLab's Jobs API and what clients call around it (`/api/v4`)" },
      { name: "runner", description: "GitLab's runner API: registration and job artifacts" },
      { name: "buildsim", description: "buildsim's own API for its web UI (`/-/buildsim/api`)" },
      {
        name: "admin",
        description:
          "buildsim's contract-testing controls (`/-/buildsim/admin`): reset, request journal; admins only",
      },
      { name: "ui", description: "The web UI's pages and assets" },
      { name: "meta", description: "About this server" },
    ],
    components: {
      schemas: Object.fromEntries(Object.entries(OPENAPI_COMPONENTS).map(([n, s]) => [n, toJsonSchema(s)])),
      securitySchemes: {
        privateToken: { type: "apiKey", in: "header", name: "PRIVATE-TOKEN" },
        privateTokenParam: { type: "apiKey", in: "query", name: "private_token" },
        bearer: { type: "http", scheme: "bearer" },
        jobToken: { type: "apiKey", in: "header", name: "JOB-TOKEN" },
      },
    },
    security: [{ privateToken: [] }, { privateTokenParam: [] }, { bearer: [] }, { jobToken: [] }, {}],
    paths,
  };
}
