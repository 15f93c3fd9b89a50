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

/** Matches method + path to a handler. */
export class Router<H> {
  private readonly routes: Route<H>[] = [];

  /** Adds a route; `pattern` like `/projects/:id/builds/:build_id`; `spec` is its OpenAPI contract. */
  add(method: string, pattern: string, handler: H, spec: RouteSpec): this {
    const { regex, names } = compile(pattern);
    this.routes.push({ method, pattern, regex, names, handler, spec });
    return this;
  }

  /** Every route, in the order added. */
  list(): RouteEntry[] {
    return this.routes.map(({ method, pattern, spec }) => ({ method, pattern, spec }));
  }

  /** Finds the first route for `method` (HEAD falls back to GET) whose pattern matches `path`. */
  match(method: string, path: string): RouteMatch<H> {
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
