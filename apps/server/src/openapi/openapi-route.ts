// `GET /api/openapi.json`: the OpenAPI document of the routes the server was started with (built once, on
// the first request, so that routes added by extensions are in it).

import { Type } from "@sinclair/typebox";
import { jsonReply, type Reply } from "../http/reply.js";
import { json, type RouteSpec } from "../http/route-spec.js";
import type { RouteEntry } from "../http/router.js";
import type { RouteHandler } from "../routes/route-handler.js";
import { buildOpenApiDocument } from "./openapi-document.js";

/** The route's own contract. */
export const OPENAPI_ROUTE_SPEC: RouteSpec = {
  summary: "This document: the OpenAPI 3.1 description of every route the server serves",
  api: "meta",
  responses: {
    200: json(
      "The OpenAPI document",
      Type.Object({
        openapi: Type.String(),
        info: Type.Object({}),
        paths: Type.Record(Type.String(), Type.Unknown()),
      }),
    ),
  },
};

/** The handler, over the routes `routes()` lists at the first request; it needs nothing of the wiring. */
export function createOpenApiRoute(
  routes: () => readonly RouteEntry[],
  version: string,
): RouteHandler<unknown> {
  let reply: Reply | undefined;
  return () => {
    reply ??= jsonReply(200, buildOpenApiDocument(routes(), version));
    return reply;
  };
}
