// What a request's headers and query say about its caller before its body is read: a token that names
// nobody is refused at once (401, the body never read), and a request without any gets a small body cap.

import type { IncomingHttpHeaders } from "node:http";
import type { Params } from "../http/parse-query.js";
import type { Store } from "../store/create-store.js";
import { tokenOf } from "./authenticate.js";

/** `valid`: a known token of an active user or a job; `invalid`: a token that names nobody; `none`. */
export type CredentialsBeforeBody = "valid" | "invalid" | "none";

const headerOf = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Checks the private, OAuth or job token carried by the headers or the query string. A token the body
 * carries (`private_token` in a form) is not seen here: such a request counts as `none`.
 */
export function credentialsBeforeBody(
  store: Store,
  headers: IncomingHttpHeaders,
  query: Params,
): CredentialsBeforeBody {
  const jobParam = query.job_token;
  const jobToken =
    jobParam !== undefined ? (typeof jobParam === "string" ? jobParam : "") : headerOf(headers, "job-token");
  // A blank token is no token (GitLab finds no user from it and goes on as anonymous).
  if (jobToken) return store.builds.getByToken(jobToken) ? "valid" : "invalid";
  const token = tokenOf({ params: query, headers });
  if (!token) return "none";
  return store.users.getByToken(token)?.state === "active" ? "valid" : "invalid";
}
