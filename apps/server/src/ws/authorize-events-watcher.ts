// Decides whether an upgrade to the project events path may watch a project: the v4 API's read checks,
// with anonymous callers allowed where GitLab lets them read jobs (public project, public jobs).

import type { IncomingMessage } from "node:http";
import type { Project } from "@buildsim/core";
import type { App } from "../app.js";
import { canReadBuild, canReadProject } from "../auth/abilities.js";
import { authenticate, tokenOf } from "../auth/authenticate.js";
import { ApiError } from "../http/api-error.js";
import { parseQuery } from "../http/parse-query.js";

/** The project to watch, or the API error to answer the upgrade with. */
export type AuthorizeEventsResult = { ok: true; project: Project } | { ok: false; error: ApiError };

const INTEGER = /^\d+$/;

/** Checks `?project=ID|PATH` and the caller (token as for the API, or none for public projects). */
export function authorizeEventsWatcher(app: Pick<App, "store">, req: IncomingMessage): AuthorizeEventsResult {
  try {
    const rawUrl = req.url ?? "";
    const q = rawUrl.indexOf("?");
    const { params } = parseQuery(q < 0 ? "" : rawUrl.slice(q + 1));
    const input = { params, headers: req.headers };
    const user = tokenOf(input) === undefined ? null : authenticate(app.store, input);
    const ref = params.project;
    if (typeof ref !== "string" || ref === "") throw ApiError.invalidParam("project is missing");
    const project = INTEGER.test(ref)
      ? app.store.projects.get(Number(ref))
      : app.store.projects.getByPath(ref);
    const visible = project && (user ? canReadProject(user, project) : project.visibility === "public");
    if (!project || !visible) throw ApiError.of("PROJECT_NOT_FOUND");
    const readsJobs = user
      ? canReadBuild(user, project)
      : project.buildsEnabled && project.publicBuilds && project.visibility === "public";
    if (!readsJobs) throw ApiError.of("FORBIDDEN");
    return { ok: true, project };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: e };
    return { ok: false, error: ApiError.invalidParam(e instanceof Error ? e.message : String(e)) };
  }
}
