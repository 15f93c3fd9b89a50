// Argument types shared by every API group.

/** A project: numeric id or `namespace/path` (encoded for you). */
export type ProjectRef = number | string;

/** A status filter: one status, or several. */
export type JobScope = string | readonly string[];

/** Options every single-request method takes. */
export interface CallOptions {
  signal?: AbortSignal;
}
