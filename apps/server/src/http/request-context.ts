// What a route handler gets: the parsed request (params merged from query, body and route) and the app.

import type { IncomingHttpHeaders } from "node:http";
import type { Params, ParsedQuery } from "./parse-query.js";
import type { RouteParams } from "./router.js";
import type { UploadedFile } from "./stream-body-to-file.js";

/** One request, parsed. */
export interface RequestContext {
  requestId: string;
  method: string;
  /** The raw path (still URL-encoded), without the query. */
  path: string;
  /** The raw request target: path and query. */
  rawUrl: string;
  /** `http://host/path`: what `Link` URLs are built on. */
  baseUrl: string;
  headers: IncomingHttpHeaders;
  query: ParsedQuery;
  /** Query and body params merged (body wins), Grape-style. Route params are in `route`. */
  params: Params;
  route: RouteParams;
  /** The body as text ("" when empty): part of response-cache keys, since body params count. */
  bodyKey: string;
  /** The raw body (empty when none, and for upload routes, whose body is in `upload`). */
  body: Buffer;
  /** Upload routes only: the body, streamed to a file after the request was authorized. */
  upload?: UploadedFile;
}

// Header values must be ASCII; percent-encode anything else a client managed to send.
const UNSAFE = /[^\x21-\x7e]/g;

/** The request URL without its query, as an absolute URL usable in a header. */
export function baseUrlOf(host: string | undefined, path: string): string {
  const safeHost = (host ?? "localhost").replace(UNSAFE, encodeURIComponent);
  return `http://${safeHost}${path.replace(UNSAFE, encodeURIComponent)}`;
}
