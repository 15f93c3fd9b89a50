// What clients call around the jobs: the current user (python-gitlab's CLI starts with it) and the version
// (projects are in project-list-routes.ts).

import { GITLAB_COMPAT_VERSION } from "@buildsim/ci-config";
import type { VersionEntity } from "@buildsim/core";
import type { App } from "../../app.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentUserV4 } from "../../presenters/present-entities-v4.js";
import type { AccessDeps } from "../access.js";
import { userCallerOf } from "./v4-access.js";

/** The GitLab version buildsim's v4 API follows (its Job entity is current GitLab's). */
export const SERVED_VERSION: VersionEntity = { version: GITLAB_COMPAT_VERSION, revision: "buildsim" };

/** `GET /api/v4/user`: the caller, with the private fields a user sees of themself. */
export function getCurrentUser(ctx: RequestContext, app: AccessDeps & Pick<App, "webUrl">): Reply {
  const { user } = userCallerOf(ctx, app);
  return jsonReply(200, {
    ...presentUserV4(user, app.webUrl()),
    email: user.email,
    commit_email: user.email,
    can_create_project: true,
    can_create_group: user.isAdmin,
    two_factor_enabled: false,
    external: false,
    private_profile: false,
    ...(user.isAdmin ? { is_admin: true } : {}),
  });
}

/** `GET /api/v4/version`: needs a signed-in user, as in GitLab. */
export function getVersion(ctx: RequestContext, app: AccessDeps): Reply {
  userCallerOf(ctx, app);
  return jsonReply(200, SERVED_VERSION);
}
