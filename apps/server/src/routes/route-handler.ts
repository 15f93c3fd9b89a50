// The shape of every route handler, whatever API version it serves.

import type { App } from "../app.js";
import type { Reply } from "../http/reply.js";
import type { RequestContext } from "../http/request-context.js";

/** A parsed request in, a reply out; failures are thrown as ApiError and rendered centrally. */
export type RouteHandler = (ctx: RequestContext, app: App) => Reply | Promise<Reply>;
