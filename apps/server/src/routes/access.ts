// What every API version's routes share: who calls (`authenticate!` + sudo), the `:id` project, integer
// route params, the one table turning a service's refusal into GitLab's error for v3 or v4, and the 403
// of a ref protected against the caller.

import type { Build, Project, User } from "@buildsim/core";
import type { App } from "../app.js";
import { authenticate, isOAuthToken, sudoOf, tokenOf } from "../auth/authenticate.js";
import { type API_ERRORS, ApiError } from "../http/api-error.js";
import type { RequestContext } from "../http/request-context.js";
import type { BuildActionOutcome, BuildActionRefusal } from "../services/build-actions.js";
import { type RefAction, type RefTarget, refAllows } from "../services/ref-access.js";

/** What knowing the caller and the `:id` project needs of the wiring: the store and the two memos. */
export type AccessDeps = Pick<App, "store" | "authMemo" | "projectMemo">;

/** `authenticate!` + sudo, memoized per token until the next write. */
export function currentUser(ctx: RequestContext, app: AccessDeps): User {
  const input = { params: ctx.params, headers: ctx.headers };
  const token = tokenOf(input) ?? "";
  const sudo = sudoOf(input);
  // No sudo (the usual case): the token itself is the key, no string to build. With sudo, the answer
  // also depends on how the token came and on the API's version.
  const api = ctx.path.startsWith("/api/v4/") ? "v4" : "v3";
  const key =
    sudo === undefined ? token : `${token}\u0000sudo\u0000${sudo}\u0000${api}\u0000${isOAuthToken(input)}`;
  const outcome = app.authMemo.get(key, () => {
    try {
      return authenticate(app.store, input, api);
    } catch (e) {
      if (e instanceof ApiError) return e;
      throw e;
    }
  });
  if (outcome instanceof ApiError) throw outcome;
  return outcome;
}

const INTEGER = /^\s*[+-]?\d+\s*$/;

/** A Grape `Integer` route param (`build_id`): 400 `<name> is invalid` when not an integer. */
export function integerRouteParam(ctx: RequestContext, name: string): number {
  const raw = ctx.route[name] ?? "";
  if (!INTEGER.test(raw)) throw ApiError.invalidParam(`${name} is invalid`);
  const n = Number(raw.trim());
  // Integers beyond what ids can be still parse; they simply match no record.
  return Number.isSafeInteger(n) ? n : -1;
}

/** The route's `:id` project, by id or `namespace/project` (memoized until the next write); v3 and v4. */
export function lookupProject(ctx: RequestContext, app: AccessDeps): Project | undefined {
  const id = ctx.route.id ?? "";
  return app.projectMemo.get(id, () => {
    if (/^\d+$/.test(id)) {
      const n = Number(id);
      return Number.isSafeInteger(n) ? app.store.projects.get(n) : undefined;
    }
    return app.store.projects.getByPath(id);
  });
}

/**
 * A build action's refusal in each API's words: 8.17's v3 says "Build", 17.0's v4 Jobs API says "Job"
 * (lib/api/builds.rb and lib/api/ci/jobs.rb).
 */
export const REFUSAL_ERRORS = {
  v3: {
    not_found: "NOT_FOUND",
    not_retryable: "NOT_RETRYABLE",
    not_erasable: "NOT_ERASABLE",
    unplayable: "UNPLAYABLE",
  },
  v4: {
    not_found: "NOT_FOUND",
    not_retryable: "JOB_NOT_RETRYABLE",
    not_erasable: "JOB_NOT_ERASABLE",
    unplayable: "JOB_UNPLAYABLE",
  },
} as const satisfies Record<"v3" | "v4", Record<BuildActionRefusal, keyof typeof API_ERRORS>>;

/** The build a build action left, or the API's error for its refusal (thrown to the central handler). */
export function actedBuild(outcome: BuildActionOutcome, api: "v3" | "v4"): Build {
  if (outcome.ok) return outcome.build;
  throw ApiError.of(REFUSAL_ERRORS[api][outcome.refusal]);
}

/**
 * 403 `Forbidden` unless the job's or pipeline's ref leaves the caller `action` (`services/ref-access.ts`
 * decides; GitLab answers a policy's refusal with `forbidden!` in every API version).
 */
export function requireRefAccess(
  app: Pick<App, "store">,
  user: User,
  project: Project,
  action: RefAction,
  target: RefTarget,
): void {
  if (!refAllows(app.store, user, project, action, target)) throw ApiError.of("FORBIDDEN");
}
