// Who is calling: the private token (param, PRIVATE-TOKEN header) or OAuth2 bearer token, then sudo.

import type { User } from "@buildsim/core";
import { ApiError } from "../http/api-error.js";
import type { Params } from "../http/parse-query.js";
import type { Store } from "../store/create-store.js";

/** The request parts authentication reads. */
export interface AuthInput {
  params: Params;
  headers: Record<string, string | string[] | undefined>;
}

const header = (headers: AuthInput["headers"], name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * The token the request carries, if any: the `private_token` param wins over the PRIVATE-TOKEN header;
 * then OAuth2's `access_token` param and `Authorization: Bearer` header (doorkeeper).
 */
export function tokenOf(input: AuthInput): string | undefined {
  const param = input.params.private_token;
  if (param !== undefined) return typeof param === "string" ? param : "";
  const privateHeader = header(input.headers, "private-token");
  if (privateHeader !== undefined) return privateHeader;
  const access = input.params.access_token;
  if (access !== undefined) return typeof access === "string" ? access : "";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header(input.headers, "authorization") ?? "");
  return bearer?.[1];
}

/**
 * True when the token came as OAuth2's (`access_token` param or `Authorization: Bearer`), not as a
 * private token (`private_token` param or PRIVATE-TOKEN header, which win when both are sent).
 */
export function isOAuthToken(input: AuthInput): boolean {
  if (input.params.private_token !== undefined || header(input.headers, "private-token") !== undefined)
    return false;
  return tokenOf(input) !== undefined;
}

/** Which API's rules and wording apply: v3 answers as GitLab 8.17, v4 as 17.0. */
export type ApiVersion = "v3" | "v4";

/** The sudo target the request names (param first, then the SUDO header), if any. */
export function sudoOf(input: AuthInput): string | undefined {
  const param = input.params.sudo;
  if (param !== undefined) return typeof param === "string" ? param : "";
  return header(input.headers, "sudo");
}

/**
 * `authenticate!` then sudo: the user the request acts as. 401 without a valid token of an active user;
 * 403 when a non-admin uses sudo; 403 when an OAuth token does (8.17: "Private token must be specified
 * in order to use sudo"; 17.0: the token lacks the `sudo` scope, which buildsim's OAuth tokens never
 * have); 404 when the sudo user does not exist.
 */
export function authenticate(store: Store, input: AuthInput, api: ApiVersion = "v3"): User {
  const token = tokenOf(input);
  const user = token ? store.users.getByToken(token) : undefined;
  if (user?.state !== "active") throw ApiError.of("UNAUTHORIZED");
  const sudo = sudoOf(input);
  if (sudo === undefined) return user;
  if (!user.isAdmin) throw ApiError.of("SUDO_NOT_ADMIN");
  if (isOAuthToken(input))
    throw api === "v3" ? ApiError.of("SUDO_NEEDS_PRIVATE_TOKEN") : ApiError.insufficientScope("sudo");
  const target = /^\d+$/.test(sudo) ? store.users.get(Number(sudo)) : store.users.getByUsername(sudo);
  if (!target) throw ApiError.sudoUserNotFound(sudo, api);
  return target;
}
