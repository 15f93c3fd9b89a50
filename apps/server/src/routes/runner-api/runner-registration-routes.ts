// GitLab's runner lifecycle endpoints (`lib/api/runners.rb` of the runner API, §7):
// `POST /api/v4/runners` registers with a registration token, `DELETE /api/v4/runners` unregisters,
// `POST /api/v4/runners/verify` checks a runner token. No user token: 403 for a bad runner token.

import type { Runner } from "@buildsim/core";
import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import type { ParamValue } from "../../http/parse-query.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { deleteRunner } from "../../services/delete-runner.js";

/** Settings key of the instance-wide (shared runners) registration token. */
export const REGISTRATION_TOKEN_KEY = "runners_registration_token";

/** The instance's registration token, created on first use. */
export function ensureRegistrationToken(app: Pick<App, "store" | "generateToken">): string {
  const existing = app.store.settings.get(REGISTRATION_TOKEN_KEY);
  if (existing) return existing;
  const token = app.generateToken();
  app.store.transaction(() => app.store.settings.set(REGISTRATION_TOKEN_KEY, token));
  return token;
}

const str = (v: ParamValue | undefined): string | undefined => (typeof v === "string" ? v : undefined);

/** Grape's Boolean coercion; 400 `<name> is invalid` for anything else. */
function bool(name: string, v: ParamValue | undefined, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (v === "true" || v === "1" || v === "t" || v === "yes") return true;
  if (v === "false" || v === "0" || v === "f" || v === "no") return false;
  throw ApiError.invalidParam(`${name} is invalid`);
}

/** `tag_list` as an array or a comma-separated string. */
function tags(v: ParamValue | undefined): string[] {
  const list = Array.isArray(v)
    ? v.filter((t): t is string => typeof t === "string")
    : (str(v) ?? "").split(",");
  return [...new Set(list.map((t) => t.trim()).filter((t) => t !== ""))];
}

function requiredToken(ctx: RequestContext): string {
  const token = ctx.params.token;
  if (token === undefined) throw ApiError.invalidParam("token is missing");
  if (typeof token !== "string") throw ApiError.invalidParam("token is invalid");
  return token;
}

/** `POST /api/v4/runners`: 201 `{id, token}`; shared with the registration token, else specific. */
export function registerRunner(ctx: RequestContext, app: Pick<App, "store" | "generateToken">): Reply {
  const token = requiredToken(ctx);
  const project = app.store.projects.getByRunnersToken(token);
  const shared = token === ensureRegistrationToken(app);
  if (!shared && !project) throw ApiError.of("FORBIDDEN");
  const info = ctx.params.info;
  const field = (k: string) =>
    info && typeof info === "object" && !Array.isArray(info) ? str(info[k]) : undefined;
  const runner = app.store.transaction(() => {
    const created: Runner = {
      id: app.store.runners.nextId(),
      token: app.generateToken(),
      description: str(ctx.params.description) ?? "",
      active: bool("active", ctx.params.active, true),
      isShared: shared,
      name: field("name") ?? null,
      tagList: tags(ctx.params.tag_list),
      runUntagged: bool("run_untagged", ctx.params.run_untagged, true),
      locked: bool("locked", ctx.params.locked, false),
      version: field("version") ?? null,
      revision: field("revision") ?? null,
      platform: field("platform") ?? null,
      architecture: field("architecture") ?? null,
      contactedAt: null,
      projectIds: project && !shared ? [project.id] : [],
    };
    app.store.runners.insert(created);
    return created;
  });
  return jsonReply(201, { id: runner.id, token: runner.token });
}

/** The runner a `token` param names, or 403. */
function runnerOf(ctx: RequestContext, app: Pick<App, "store">): Runner {
  const runner = app.store.runners.getByToken(requiredToken(ctx));
  if (!runner) throw ApiError.of("FORBIDDEN");
  return runner;
}

/** `DELETE /api/v4/runners`: 204; its connected sockets are closed (`runnerDeleted`). */
export function unregisterRunner(ctx: RequestContext, app: Pick<App, "store" | "events">): Reply {
  deleteRunner(app, runnerOf(ctx, app).id);
  return { status: 204, headers: [], body: Buffer.alloc(0) };
}

/** `POST /api/v4/runners/verify`: 200 for a known runner token. */
export function verifyRunner(ctx: RequestContext, app: Pick<App, "store">): Reply {
  const runner = runnerOf(ctx, app);
  return jsonReply(200, { id: runner.id, token: runner.token, token_expires_at: null });
}
