// The shape of every route handler, whatever API version it serves.

import type { App } from "../app.js";
import type { Reply } from "../http/reply.js";
import type { RequestContext } from "../http/request-context.js";

/**
 * A route whose body is a file upload: `authorize` runs on the headers and query alone, before a byte
 * of the body is read; only then is the body streamed to disk (up to `maxBytes`, else 413) and handed
 * to the handler as `ctx.upload`.
 */
export interface UploadSpec {
  maxBytes: number;
  /** Throws the ApiError the request ends with (401/403/404…); `ctx.body` is empty here. */
  authorize(ctx: RequestContext, app: App): void;
  /** Directory the body is streamed into (same filesystem as where the handler moves it). */
  dir(app: App): string;
}

/** A parsed request in, a reply out; failures are thrown as ApiError and rendered centrally. */
export type RouteHandler = ((ctx: RequestContext, app: App) => Reply | Promise<Reply>) & {
  /** Largest in-memory body this route accepts. @default the app's `maxBodyBytes` */
  maxBodyBytes?: number;
  /** Set for upload routes: authorize first, then stream the body to disk. */
  upload?: UploadSpec;
};
