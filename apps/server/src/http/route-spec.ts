// What a route declares about itself for the OpenAPI document: a summary, its parameters and its success
// responses, as core's schemas. Every route has one (Router.add requires it; a test checks the document).

import type { TObject, TSchema } from "@sinclair/typebox";

/** One success response: JSON of a schema, a file of a content type, or no body. */
export type ResponseSpec =
  | { description: string; json: TSchema }
  | { description: string; file: "application/octet-stream" | "text/plain" | "text/html" | "*/*" }
  | { description: string; empty: true };

/** A route's contract. Errors are GitLab's error bodies (core's ApiErrorBodySchema) on every route. */
export interface RouteSpec {
  /** One line, GitLab's wording where the docs have one. */
  summary: string;
  /** The API the route belongs to: its OpenAPI tag. */
  api: "v3" | "v4" | "runner" | "buildsim" | "admin" | "ui" | "meta";
  /** Query or form parameters (Grape merges both); path parameters come from the route's pattern. */
  params?: TObject;
  /** A raw request body (artifacts upload). */
  body?: "application/zip";
  /** Success status → response. */
  responses: Record<number, ResponseSpec>;
}

/** A JSON response of `schema`. */
export const json = (description: string, schema: TSchema): ResponseSpec => ({ description, json: schema });
/** A binary download (artifacts archives and files). */
export const file = (description: string): ResponseSpec => ({
  description,
  file: "application/octet-stream",
});
/** A plain-text body (traces). */
export const text = (description: string): ResponseSpec => ({ description, file: "text/plain" });
/** An HTML page (the web UI). */
export const html = (description: string): ResponseSpec => ({ description, file: "text/html" });
/** No body (204, or a redirect's 302). */
export const empty = (description: string): ResponseSpec => ({ description, empty: true });
