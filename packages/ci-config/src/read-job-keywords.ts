// The job keywords that describe where a job deploys or what GitLab does around it: `environment`,
// `resource_group`, `release`, `pages`, `secrets`, `id_tokens`, each validated with GitLab's messages
// (lib/gitlab/ci/config/entry/{environment,release,pages,secret,id_token}.rb).

import {
  type BuildEnvironment,
  DEPLOYMENT_TIERS,
  ENVIRONMENT_ACTIONS,
  type EnvironmentAction,
  parseDurationS,
} from "@buildsim/core";
import { isHash } from "./deep-merge.js";
import { at, checkKeys, type EntryScope } from "./read-values.js";
import { keyPos } from "./source-pos.js";

const ENVIRONMENT_KEYS = [
  "name",
  "url",
  "action",
  "on_stop",
  "auto_stop_in",
  "kubernetes",
  "deployment_tier",
];
// Gitlab::Regex.environment_name_regex and its message.
const ENVIRONMENT_NAME = /^[a-zA-Z0-9_\\/${}. -]+$/;
const ENVIRONMENT_NAME_MESSAGE =
  "can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/'";
const SECRET_PROVIDERS = [
  "vault",
  "gcp_secret_manager",
  "azure_key_vault",
  "aws_secrets_manager",
  "akeyless",
  "gitlab_secrets_manager",
];

/** `environment:` — a name, or a hash with `name`, `url`, `action`, `on_stop`, `auto_stop_in`, tier. */
export function readEnvironment(scope: EntryScope): BuildEnvironment | null {
  const value = scope.hash.environment;
  const location = `${scope.location}:environment`;
  const pos = at(scope, "environment");
  const problems = scope.problems;
  if (typeof value !== "string" && !isHash(value)) {
    problems.add(pos, `${location} config should be a hash or a string`);
    return null;
  }
  const h: Record<string, unknown> = typeof value === "string" ? { name: value } : value;
  const inner: EntryScope = { location, hash: h, pos, problems };
  if (isHash(value)) checkKeys(inner, ENVIRONMENT_KEYS);
  const before = problems.items.length;
  const name = h.name;
  if (name === undefined || name === null || name === "")
    problems.add(pos, `${location} name can't be blank`);
  else if (
    typeof name !== "string" ||
    !ENVIRONMENT_NAME.test(name) ||
    name.startsWith("/") ||
    name.endsWith("/")
  )
    problems.add(at(inner, "name"), `${location} name ${ENVIRONMENT_NAME_MESSAGE}`);
  const optionalString = (key: string, extra?: (v: string) => string | null): string | null => {
    const v = h[key];
    if (v === undefined || v === null) return null;
    const label = key.replace(/_/g, " ");
    if (typeof v !== "string") {
      problems.add(at(inner, key), `${location} ${label} should be a string`);
      return null;
    }
    const message = extra?.(v);
    if (message) problems.add(at(inner, key), `${location} ${label} ${message}`);
    return v;
  };
  const url = optionalString("url", (v) =>
    v.length > 255 ? "is too long (maximum is 255 characters)" : null,
  );
  const action = optionalString("action", (v) =>
    (ENVIRONMENT_ACTIONS as readonly string[]).includes(v)
      ? null
      : "should be start, stop, prepare, verify, or access",
  );
  const onStop = optionalString("on_stop");
  // `auto_stop_in` may hold variables (`$TTL`); GitLab checks the duration after expansion.
  const autoStopIn = optionalString("auto_stop_in", (v) =>
    v === "never" || v.includes("$") || parseDurationS(v) !== null ? null : "should be a duration",
  );
  const tier = optionalString("deployment_tier", (v) =>
    (DEPLOYMENT_TIERS as readonly string[]).includes(v)
      ? null
      : `must be one of ${DEPLOYMENT_TIERS.join(", ")}`,
  );
  if (h.kubernetes !== undefined && h.kubernetes !== null && !isHash(h.kubernetes))
    problems.add(at(inner, "kubernetes"), `${location}:kubernetes config should be a hash`);
  if (problems.items.length > before) return null;
  return {
    name: name as string,
    url,
    action: (action ?? "start") as EnvironmentAction,
    onStop,
    autoStopIn,
    deploymentTier: tier as BuildEnvironment["deploymentTier"],
  };
}

/** `resource_group:` — a string (`validates :resource_group, type: String`). */
export function readResourceGroup(scope: EntryScope): string | null {
  const value = scope.hash.resource_group;
  if (typeof value === "string" && value !== "") return value;
  scope.problems.add(at(scope, "resource_group"), `${scope.location} resource group should be a string`);
  return null;
}

/** `release:` — needs `tag_name` and a string `description`; only the known keys. */
export function checkRelease(scope: EntryScope): void {
  const value = scope.hash.release;
  const location = `${scope.location}:release`;
  const pos = at(scope, "release");
  if (!isHash(value)) {
    scope.problems.add(pos, `${location} config should be a hash`);
    return;
  }
  const inner: EntryScope = { location, hash: value, pos, problems: scope.problems };
  checkKeys(inner, [
    "tag_name",
    "tag_message",
    "name",
    "description",
    "ref",
    "released_at",
    "milestones",
    "assets",
  ]);
  if (value.tag_name === undefined || value.tag_name === null || value.tag_name === "")
    scope.problems.add(pos, `${location} tag name can't be blank`);
  if (value.description === undefined || value.description === null || value.description === "")
    scope.problems.add(pos, `${location} description can't be blank`);
  else if (typeof value.description !== "string")
    scope.problems.add(at(inner, "description"), `${location} description should be a string`);
}

/** `pages:` — true/false or a hash of `path_prefix`, `expire_in`, `publish`. */
export function checkPages(scope: EntryScope): void {
  const value = scope.hash.pages;
  const location = `${scope.location}:pages`;
  const pos = at(scope, "pages");
  if (typeof value === "boolean") return;
  if (!isHash(value)) {
    scope.problems.add(pos, `${location} config should be a hash or a boolean value`);
    return;
  }
  const inner: EntryScope = { location, hash: value, pos, problems: scope.problems };
  checkKeys(inner, ["path_prefix", "expire_in", "publish"]);
  for (const key of ["path_prefix", "publish"]) {
    if (value[key] !== undefined && typeof value[key] !== "string")
      scope.problems.add(at(inner, key), `${location} ${key.replace(/_/g, " ")} should be a string`);
  }
  const expire = value.expire_in;
  if (
    expire !== undefined &&
    expire !== "never" &&
    (typeof expire !== "string" || parseDurationS(expire) === null)
  )
    scope.problems.add(at(inner, "expire_in"), `${location} expire in should be a duration`);
}

/**
 * `publish:` (GitLab 16.1, deprecated for `pages:publish`): the folder a Pages job publishes. Job
 * validates it `absence: { message: "can only be used within a \`pages\` job" }` unless the job is a
 * pages job: named `pages`, or with `pages:` set (lib/gitlab/ci/config/entry/job.rb).
 */
export function checkPublish(scope: EntryScope): void {
  const pages = scope.hash.pages;
  const pagesJob = pages === undefined || pages === null ? scope.location === "jobs:pages" : pages !== false;
  if (!pagesJob)
    scope.problems.add(
      at(scope, "publish"),
      `${scope.location} publish can only be used within a \`pages\` job`,
    );
  else if (typeof scope.hash.publish !== "string")
    scope.problems.add(at(scope, "publish"), `${scope.location}:publish config should be a string`);
}

/** `secrets:` — a hash of secrets, each using exactly one provider. */
export function checkSecrets(scope: EntryScope): void {
  const value = scope.hash.secrets;
  const location = `${scope.location}:secrets`;
  const pos = at(scope, "secrets");
  if (!isHash(value)) {
    scope.problems.add(pos, `${location} config should be a hash`);
    return;
  }
  for (const [name, secret] of Object.entries(value)) {
    const secretLocation = `${location}:${name}`;
    const secretPos = keyPos(value, name, pos);
    if (!isHash(secret)) {
      scope.problems.add(secretPos, `${secretLocation} config should be a hash`);
      continue;
    }
    const inner: EntryScope = {
      location: secretLocation,
      hash: secret,
      pos: secretPos,
      problems: scope.problems,
    };
    checkKeys(inner, [...SECRET_PROVIDERS, "file", "token"]);
    if (SECRET_PROVIDERS.filter((p) => secret[p] !== undefined).length !== 1)
      scope.problems.add(
        secretPos,
        `${secretLocation} config must use exactly one of these keys: ${SECRET_PROVIDERS.join(", ")}`,
      );
    if (secret.file !== undefined && typeof secret.file !== "boolean")
      scope.problems.add(at(inner, "file"), `${secretLocation}:file config should be a boolean value`);
    if (secret.token !== undefined && typeof secret.token !== "string")
      scope.problems.add(at(inner, "token"), `${secretLocation} token should be a string`);
  }
}

/** `id_tokens:` — a hash of tokens, each with `aud` (a string or an array of strings) and nothing else. */
export function checkIdTokens(scope: EntryScope): void {
  const value = scope.hash.id_tokens;
  const location = `${scope.location}:id_tokens`;
  const pos = at(scope, "id_tokens");
  if (!isHash(value)) {
    scope.problems.add(pos, `${location} config should be a hash`);
    return;
  }
  for (const [name, token] of Object.entries(value)) {
    const tokenLocation = `${location}:${name}`;
    const tokenPos = keyPos(value, name, pos);
    if (!isHash(token)) {
      scope.problems.add(tokenPos, `${tokenLocation} config should be a hash`);
      continue;
    }
    const inner: EntryScope = {
      location: tokenLocation,
      hash: token,
      pos: tokenPos,
      problems: scope.problems,
    };
    checkKeys(inner, ["aud"]);
    const aud = token.aud;
    if (aud === undefined) scope.problems.add(tokenPos, `${tokenLocation} config missing required keys: aud`);
    else if (!(typeof aud === "string" || (Array.isArray(aud) && aud.every((a) => typeof a === "string"))))
      scope.problems.add(at(inner, "aud"), `${tokenLocation} aud should be an array of strings or a string`);
  }
}
