// Who may use the admin API and how its bodies are read: an admin's token (GitLab's 401/403 otherwise),
// JSON bodies, and a control's bad input as Grape's 400 naming the field.

import type { App } from "../../app.js";
import { authenticate } from "../../auth/authenticate.js";
import { ApiError } from "../../http/api-error.js";
import { ControlInputError } from "../../http/control-input-error.js";
import type { Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import type { RouteHandler } from "../route-handler.js";

/** Where the admin API lives. */
export const ADMIN_API_PREFIX = "/-/buildsim/admin";

export const NO_CONTENT: Reply = { status: 204, headers: [], body: Buffer.alloc(0) };

/** Runs a control as an admin: GitLab's 401/403 for anyone else, 400 naming the field for bad input. */
export function asAdmin(run: (ctx: RequestContext) => Reply): RouteHandler<Pick<App, "store">> {
  return (ctx, app) => {
    const user = authenticate(app.store, { params: ctx.params, headers: ctx.headers }, "v4");
    if (!user.isAdmin) throw ApiError.of("FORBIDDEN");
    try {
      return run(ctx);
    } catch (e) {
      if (e instanceof ControlInputError) throw ApiError.invalidParam(e.message);
      throw e;
    }
  };
}

/** The JSON body (an empty body is `{}`); 400 when it is not JSON. */
export function jsonBody(ctx: RequestContext): unknown {
  if (ctx.body.byteLength === 0) return {};
  try {
    return JSON.parse(ctx.body.toString("utf8"));
  } catch {
    throw ApiError.invalidParam("The request body is not valid JSON");
  }
}
