// The one place requests come in and errors go out: routing, body and query parsing, ApiError rendering,
// and the 500 for anything unexpected (logged with its request id, never leaked to the client).

import { rmSync } from "node:fs";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { App } from "../app.js";
import { credentialsBeforeBody } from "../auth/credentials-before-body.js";
import type { RouteHandler } from "../routes/route-handler.js";
import { API_ERRORS, ApiError } from "./api-error.js";
import type { FaultDecision, FaultPlan } from "./fault-plan.js";
import { delayMsOf, faultReply, resetConnection, writeBrokenReply } from "./fault-replies.js";
import { hasNullByte, nullByteReply } from "./null-bytes.js";
import { ObservedRequest, type RequestObserver } from "./observed-request.js";
import { type Params, type ParsedQuery, parseQuery, QueryParseError } from "./parse-query.js";
import { bodyParams, readBody } from "./read-body.js";
import { jsonReply, type Reply, writeReply } from "./reply.js";
import { baseUrlOf, type RequestContext } from "./request-context.js";
import { matchableOf } from "./request-matcher.js";
import type { RouteParams, Router } from "./router.js";
import { streamBodyToFile, type UploadedFile } from "./stream-body-to-file.js";

const errorReply = (e: ApiError): Reply => jsonReply(e.status, e.body);

const EMPTY = Buffer.alloc(0);

/** The context as a class: one shape for every request, and `baseUrl` built only when asked for. */
class HttpRequestContext implements RequestContext {
  private base: string | undefined;
  constructor(
    readonly requestId: string,
    readonly method: string,
    readonly path: string,
    readonly rawUrl: string,
    readonly headers: IncomingHttpHeaders,
    readonly query: ParsedQuery,
    readonly params: Params,
    readonly route: RouteParams,
    readonly bodyKey: string,
    readonly body: Buffer,
    public upload?: UploadedFile,
  ) {}
  /** Only a cache miss renders Link URLs; most requests never need this. */
  get baseUrl(): string {
    this.base ??= baseUrlOf(this.headers.host, this.path);
    return this.base;
  }
}

/** Whether the request carries a body to read (GETs usually do not; python-gitlab's `{}` does). */
const hasBody = (req: IncomingMessage): boolean => {
  const length = req.headers["content-length"];
  return (length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined;
};

/**
 * The contract-testing controls' hold on the request path: the requests they observe (all but their own
 * API's) are reported when answered, and broken when a fault rule takes them.
 */
export interface RequestHooks extends RequestObserver {
  /** Checked only while some rule is in force. */
  faults: FaultPlan;
}

/** What the request path itself reads of the wiring: body limits, the `Date` clock, the error log. */
export type RequestHandlerDeps = Pick<
  App,
  "store" | "clock" | "log" | "maxBodyBytes" | "maxAnonymousBodyBytes"
>;

/**
 * A `node:http` request listener serving `router`'s routes, with the controls' `hooks`. `app` goes to
 * every handler as it is (the server passes its whole `App`), so `D` is whatever the route table's
 * handlers need; only `RequestHandlerDeps` of it is read here.
 */
export function createRequestHandler<D extends RequestHandlerDeps>(
  app: D,
  router: Router<RouteHandler<D>>,
  nextRequestId: () => string,
  hooks?: RequestHooks,
) {
  const observer = hooks;
  // Only observed requests can be faulted: the admin API that removes a rule is never broken by it.
  const faults = hooks?.faults;
  /** Parses the request into a context (throws ApiError for a query or body GitLab would refuse). */
  function contextOf(
    req: IncomingMessage,
    requestId: string,
    rawUrl: string,
    q: number,
    path: string,
    route: RequestContext["route"],
    body: Buffer,
  ): HttpRequestContext {
    let query: ReturnType<typeof parseQuery>;
    try {
      query = parseQuery(q < 0 ? "" : rawUrl.slice(q + 1));
    } catch (e) {
      if (e instanceof QueryParseError) throw ApiError.invalidParam(e.message);
      throw e;
    }
    const fromBody: Params = bodyParams(body, req.headers["content-type"]);
    return new HttpRequestContext(
      requestId,
      req.method ?? "GET",
      path,
      rawUrl,
      req.headers,
      query,
      Object.keys(fromBody).length === 0 ? query.params : { ...query.params, ...fromBody },
      route,
      body.byteLength === 0 ? "" : body.toString("latin1"),
      body,
    );
  }

  /** Parses the request into a context and runs the handler; synchronous unless the handler is not. */
  function dispatch(
    req: IncomingMessage,
    requestId: string,
    rawUrl: string,
    q: number,
    path: string,
    route: RequestContext["route"],
    handler: RouteHandler<D>,
    body: Buffer,
  ): Reply | Promise<Reply> {
    return handler(contextOf(req, requestId, rawUrl, q, path, route, body), app);
  }

  /**
   * An upload: authorized on headers and query first (an unauthorized body is never read: the reply
   * closes the connection), then streamed to disk; the file is removed afterwards unless the handler
   * moved it into place.
   */
  async function upload(
    req: IncomingMessage,
    ctx: HttpRequestContext,
    handler: RouteHandler<D> & { upload: NonNullable<RouteHandler<D>["upload"]> },
  ): Promise<Reply> {
    handler.upload.authorize(ctx, app);
    ctx.upload = await streamBodyToFile(req, handler.upload.dir(app), handler.upload.maxBytes);
    seen?.get(req)?.uploaded(ctx.upload.size);
    try {
      return await handler(ctx, app);
    } finally {
      rmSync(ctx.upload.file, { force: true });
    }
  }

  /** How much body `req` may send before its caller is known; throws 401 for a token naming nobody. */
  function bodyLimitFor(req: IncomingMessage, rawUrl: string, q: number, maxBytes: number): number {
    let query: Params = {};
    try {
      query = parseQuery(q < 0 ? "" : rawUrl.slice(q + 1)).params;
    } catch {
      // A query GitLab refuses is answered 400 once the context is built.
    }
    const credentials = credentialsBeforeBody(app.store, req.headers, query);
    if (credentials === "invalid") throw ApiError.of("UNAUTHORIZED");
    return credentials === "valid" ? maxBytes : Math.min(maxBytes, app.maxAnonymousBodyBytes);
  }

  /** Requests being observed, with what the journal will get of them. */
  const seen = observer && new WeakMap<IncomingMessage, ObservedRequest>();

  return (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = nextRequestId();
    const head = req.method === "HEAD";
    const observed =
      observer?.observes(req.url ?? "/") === true ? new ObservedRequest(req, requestId, observer) : undefined;
    if (observed) seen?.set(req, observed);
    // Set when the request is refused before its body was read: the connection cannot be reused.
    let bodyUnread = false;
    // Set by a fault that lets the request be served and then breaks its response off.
    let broken: FaultDecision | undefined;
    const fail = (e: unknown): Reply => {
      if (e instanceof ApiError) return errorReply(e);
      app.log(
        `[${requestId}] ${req.method} ${req.url} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      return jsonReply(API_ERRORS.INTERNAL.status, API_ERRORS.INTERNAL.body);
    };
    const finish = (reply: Reply): void => {
      try {
        // Node stamps real time; a frozen or moved clock stamps its own.
        if (!app.clock.real) res.setHeader("Date", new Date(app.clock.now()).toUTCString());
        if (broken) {
          const e = broken.effect;
          const keep = e.type === "truncate" ? (e.bytes ?? Math.floor(reply.body.byteLength / 2)) : 0;
          observed?.answered(reply.status, writeBrokenReply(res, reply, head ? 0 : keep, requestId));
          return;
        }
        if (reply.status === 413 || bodyUnread) res.setHeader("Connection", "close");
        writeReply(res, reply, head, requestId);
        observed?.answered(reply.status, head ? 0 : reply.body.byteLength);
      } catch (e) {
        // Writing itself failed (e.g. a header Node refused): answer 500 if we still can.
        if (!res.headersSent) {
          const internal = fail(e);
          writeReply(res, internal, head, requestId);
          observed?.answered(internal.status, head ? 0 : internal.body.byteLength);
        } else {
          res.destroy();
          observed?.answered(0, 0);
        }
      }
    };
    const onError = (e: unknown): void => finish(fail(e));
    /** Runs the handler and writes what it answers (synchronously when it does). */
    const settle = (produce: () => Reply | Promise<Reply>): void => {
      try {
        const reply = produce();
        if (reply instanceof Promise) reply.then(finish, onError);
        else finish(reply);
      } catch (e) {
        onError(e);
      }
    };
    /** `settle`, unless a fault rule takes the request: then its effect instead of, or around, it. */
    const respond = (
      rawUrl: string,
      q: number,
      path: string,
      body: Buffer,
      produce: () => Reply | Promise<Reply>,
    ) => {
      const decision =
        observed && faults?.active
          ? faults.decide(
              matchableOf(req.method ?? "GET", path, q < 0 ? "" : rawUrl.slice(q + 1), req.headers, body),
            )
          : undefined;
      if (!decision) return settle(produce);
      observed?.faulted(decision.id);
      const effect = decision.effect;
      switch (effect.type) {
        case "rate-limit":
        case "error":
          return finish(faultReply(effect, app.clock.now()));
        case "delay": {
          // The connection may end while the request waits (the client gave up, or the server
          // closed): then nothing is served, and a closed store is never read.
          const gone = () => {
            clearTimeout(timer);
            observed?.answered(0, 0);
          };
          const timer = setTimeout(
            () => {
              res.off("close", gone);
              if (!app.store.isOpen()) {
                res.destroy();
                observed?.answered(0, 0);
                return;
              }
              settle(produce);
            },
            delayMsOf(effect, faults!.random),
          );
          res.once("close", gone);
          return;
        }
        case "reset":
          if (effect.when === "before-headers") {
            resetConnection(req);
            observed?.answered(0, 0);
            return;
          }
          broken = decision;
          return settle(produce);
        case "truncate":
          broken = decision;
          return settle(produce);
      }
    };

    try {
      const rawUrl = req.url ?? "/";
      const q = rawUrl.indexOf("?");
      const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
      if (hasNullByte(rawUrl)) {
        req.resume();
        respond(rawUrl, q, path, EMPTY, nullByteReply);
        return;
      }
      const match = router.match(req.method ?? "GET", path);
      if (match.kind !== "found") {
        req.resume();
        respond(rawUrl, q, path, EMPTY, () => errorReply(ApiError.of("ROUTE_NOT_FOUND")));
        return;
      }
      const handler = match.handler;
      if (handler.upload) {
        const spec = handler.upload;
        let ctx: HttpRequestContext;
        try {
          ctx = contextOf(req, requestId, rawUrl, q, path, match.params, EMPTY);
        } catch (e) {
          res.setHeader("Connection", "close");
          throw e;
        }
        respond(rawUrl, q, path, EMPTY, () =>
          upload(req, ctx, handler as typeof handler & { upload: typeof spec }).catch((e: unknown) => {
            // The body may be unread (refused before it or past the limit): do not keep the socket.
            if (!req.complete) res.setHeader("Connection", "close");
            throw e;
          }),
        );
        return;
      }
      if (!hasBody(req)) {
        // The common case (every GET a dashboard polls) stays synchronous: no promise per request.
        respond(rawUrl, q, path, EMPTY, () =>
          dispatch(req, requestId, rawUrl, q, path, match.params, match.handler, EMPTY),
        );
        return;
      }
      // The caller before the body: a token that names nobody is 401 with the body unread (the reply
      // closes the connection); without a token in the headers or query only a small body is read, as
      // it may carry `private_token`. A handler may allow bigger bodies than the API's default.
      let limit: number;
      try {
        limit = bodyLimitFor(req, rawUrl, q, handler.maxBodyBytes ?? app.maxBodyBytes);
      } catch (e) {
        bodyUnread = true;
        throw e;
      }
      readBody(req, limit).then((body) => {
        observed?.read(body);
        respond(rawUrl, q, path, body, () =>
          dispatch(req, requestId, rawUrl, q, path, match.params, match.handler, body),
        );
      }, onError);
    } catch (e) {
      onError(e);
    }
  };
}
