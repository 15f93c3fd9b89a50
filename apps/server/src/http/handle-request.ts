// The one place requests come in and errors go out: routing, body and query parsing, ApiError rendering,
// and the 500 for anything unexpected (logged with its request id, never leaked to the client).

import type { IncomingMessage, ServerResponse } from "node:http";
import type { App } from "../app.js";
import type { RouteHandler } from "../routes/route-handler.js";
import { API_ERRORS, ApiError } from "./api-error.js";
import { type Params, parseQuery, QueryParseError } from "./parse-query.js";
import { bodyParams, readBody } from "./read-body.js";
import { jsonReply, type Reply, writeReply } from "./reply.js";
import { baseUrlOf, type RequestContext } from "./request-context.js";
import type { Router } from "./router.js";

const errorReply = (e: ApiError): Reply => jsonReply(e.status, e.body);

/** A `node:http` request listener serving `router`'s routes. */
export function createRequestHandler(app: App, router: Router<RouteHandler>, nextRequestId: () => string) {
  async function respond(req: IncomingMessage, requestId: string): Promise<Reply> {
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const match = router.match(req.method ?? "GET", path);
    if (match.kind !== "found") {
      req.resume();
      return errorReply(ApiError.of("ROUTE_NOT_FOUND"));
    }
    // A handler may allow bigger bodies than the API's default (artifact uploads).
    const body = await readBody(
      req,
      (match.handler as { maxBodyBytes?: number }).maxBodyBytes ?? app.maxBodyBytes,
    );
    let query: ReturnType<typeof parseQuery>;
    try {
      query = parseQuery(q < 0 ? "" : rawUrl.slice(q + 1));
    } catch (e) {
      if (e instanceof QueryParseError) throw ApiError.invalidParam(e.message);
      throw e;
    }
    const fromBody: Params = bodyParams(body, req.headers["content-type"]);
    const ctx: RequestContext = {
      requestId,
      method: req.method ?? "GET",
      path,
      rawUrl,
      baseUrl: baseUrlOf(req.headers.host, path),
      headers: req.headers,
      query,
      params: Object.keys(fromBody).length === 0 ? query.params : { ...query.params, ...fromBody },
      route: match.params,
      bodyKey: body.byteLength === 0 ? "" : body.toString("latin1"),
      body,
    };
    return match.handler(ctx, app);
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = nextRequestId();
    const head = req.method === "HEAD";
    const fail = (e: unknown) => {
      if (e instanceof ApiError) return errorReply(e);
      app.log(
        `[${requestId}] ${req.method} ${req.url} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      return jsonReply(API_ERRORS.INTERNAL.status, API_ERRORS.INTERNAL.body);
    };
    let pending: Promise<Reply>;
    try {
      pending = respond(req, requestId);
    } catch (e) {
      pending = Promise.resolve(fail(e));
    }
    pending
      .then(
        (reply) => writeReply(res, reply, head, requestId),
        (e: unknown) => {
          const reply = fail(e);
          if (reply.status === 413) res.setHeader("Connection", "close");
          writeReply(res, reply, head, requestId);
        },
      )
      .catch((e: unknown) => {
        // Writing itself failed (e.g. a header Node refused): answer 500 if we still can.
        const reply = fail(e);
        if (!res.headersSent) writeReply(res, reply, head, requestId);
        else res.destroy();
      });
  };
}
