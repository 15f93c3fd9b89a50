// The shape of every route handler, whatever API version it serves.

import type { App } from "../app.js";
import type { Reply } from "../http/reply.js";
import type { RequestContext } from "../http/request-context.js";

/**
 * A route whose body is a file upload: `authorize` runs on the headers and query alone, before a byte
 * of the body is read; only then is the body streamed to disk (up to `maxBytes`, else 413) and handed
 * to the handler as `ctx.upload`.
 */
export interface UploadSpec<D = App> {
  maxBytes: number;
  /** Throws the ApiError the request ends with (401/403/404…); `ctx.body` is empty here. */
  authorize(ctx: RequestContext, app: D): void;
  /** Directory the body is streamed into (same filesystem as where the handler moves it). */
  dir(app: D): string;
}

/**
 * A parsed request in, a reply out; failures are thrown as ApiError and rendered centrally. `D` is what
 * the handler needs of the wiring: the route table holds `RouteHandler` (handed the whole `App`), and a
 * handler written as `RouteHandler<Pick<App, "store">>` (or a function taking a narrow deps type) fits
 * in it, as a function asking for less accepts more.
 */
export type RouteHandler<D = App> = ((ctx: RequestContext, app: D) => Reply | Promise<Reply>) & {
  /** Largest in-memory body this route accepts. @default the app's `maxBodyBytes` */
  maxBodyBytes?: number;
  /** Set for upload routes: authorize first, then stream the body to disk. */
  upload?: UploadSpec<D>;
};
