// Decides whether an upgrade to the trace path may watch a build, with the v3 API's checks and errors:
// 401 (bad token; none is anonymous), 400 (params), 404 project, 403 read_build, 404 build.

import type { IncomingMessage } from "node:http";
import type { Build } from "@buildsim/core";
import type { App } from "../app.js";
import { canReadBuild, canReadProject } from "../auth/abilities.js";
import { authenticate, tokenOf } from "../auth/authenticate.js";
import { ApiError } from "../http/api-error.js";
import { parseQuery } from "../http/parse-query.js";

/** The build to watch and the offset to start at, or the API error to answer with. */
export type AuthorizeWatcherResult =
  | { ok: true; build: Build; offset: number }
  | { ok: false; error: ApiError };

const INTEGER = /^\d+$/;

/** Checks a watcher's upgrade request (`?project=ID&build=ID&offset=N`, token as for the API). */
export function authorizeWatcher(app: Pick<App, "store">, req: IncomingMessage): AuthorizeWatcherResult {
  try {
    const rawUrl = req.url ?? "";
    const q = rawUrl.indexOf("?");
    const { params } = parseQuery(q < 0 ? "" : rawUrl.slice(q + 1));
    // No token at all: anonymous, who may watch public projects' public jobs (as the web UI lets them).
    const input = { params, headers: req.headers };
    const user = tokenOf(input) === undefined ? null : authenticate(app.store, input);
    const param = (name: string, fallback?: string): string => {
      const v = params[name] ?? fallback;
      if (v === undefined) throw ApiError.invalidParam(`${name} is missing`);
      if (typeof v !== "string") throw ApiError.invalidParam(`${name} is invalid`);
      return v;
    };
    const projectRef = param("project");
    const buildRaw = param("build");
    const offsetRaw = param("offset", "0");
    if (!INTEGER.test(buildRaw)) throw ApiError.invalidParam("build is invalid");
    if (!INTEGER.test(offsetRaw) || !Number.isSafeInteger(Number(offsetRaw)))
      throw ApiError.invalidParam("offset is invalid");
    const project = INTEGER.test(projectRef)
      ? app.store.projects.get(Number(projectRef))
      : app.store.projects.getByPath(projectRef);
    const visible = project && (user ? canReadProject(user, project) : project.visibility === "public");
    if (!project || !visible) throw ApiError.of("PROJECT_NOT_FOUND");
    const readsJobs = user
      ? canReadBuild(user, project)
      : project.buildsEnabled && project.publicBuilds && project.visibility === "public";
    if (!readsJobs) throw ApiError.of("FORBIDDEN");
    const build = app.store.builds.get(Number(buildRaw));
    if (!build || build.projectId !== project.id) throw ApiError.of("NOT_FOUND");
    return { ok: true, build, offset: Number(offsetRaw) };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: e };
    return { ok: false, error: ApiError.invalidParam(e instanceof Error ? e.message : String(e)) };
  }
}
