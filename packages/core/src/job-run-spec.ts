// What a job runs in and keeps between pipelines: `image:`, `services:` and `cache:` as the runner needs them.
// Schemas (they are part of the job payload on the wire); the types are derived.

import { type Static, Type } from "@sinclair/typebox";
import { LiteralUnion, Nullable } from "./schema-helpers.js";

/** GitLab Runner's `pull_policy` values. */
export const PullPolicySchema = LiteralUnion(["always", "if-not-present", "never"]);
export type PullPolicy = Static<typeof PullPolicySchema>;

const imageFields = {
  name: Type.String(),
  /** Overrides the image's ENTRYPOINT (`[""]` clears it). */
  entrypoint: Type.Optional(Type.Array(Type.String())),
  /** Allowed policies, tried in order; absent means the runner's default (`if-not-present`). */
  pullPolicy: Type.Optional(Type.Array(PullPolicySchema)),
  /** `docker:user`: the user the scripts run as. */
  user: Type.Optional(Type.String()),
};

/** `image:` as a string or `{name, entrypoint, pull_policy, docker: {user}}`. */
export const JobImageSchema = Type.Object(imageFields);
export type JobImage = Static<typeof JobImageSchema>;

/** One `services:` entry. */
export const JobServiceSchema = Type.Object({
  ...imageFields,
  /** `alias:` split at commas; Runner's default aliases are added by the runner. */
  aliases: Type.Array(Type.String()),
  /** Overrides the image's CMD. */
  command: Type.Optional(Type.Array(Type.String())),
  /** Variables only this service sees. */
  variables: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
});
export type JobService = Static<typeof JobServiceSchema>;

/** `cache:key` — a string (with variables), or `files:` whose contents make the key, with a `prefix:`. */
export const JobCacheKeySchema = Type.Union([
  Type.String(),
  Type.Object({ files: Type.Array(Type.String()), prefix: Nullable(Type.String()) }),
]);
export type JobCacheKey = Static<typeof JobCacheKeySchema>;

/** One `cache:` entry. */
export const JobCacheSchema = Type.Object({
  key: JobCacheKeySchema,
  paths: Type.Array(Type.String()),
  untracked: Type.Boolean(),
  policy: LiteralUnion(["pull", "push", "pull-push"]),
  when: LiteralUnion(["on_success", "on_failure", "always"]),
  fallbackKeys: Type.Array(Type.String()),
  /** `cache:unprotect: true`: protected and unprotected refs share the cache (the key ends in `-non_protected`). */
  unprotect: Type.Optional(Type.Boolean()),
  /**
   * Set by the server in a job payload: GitLab's `-protected` or `-non_protected`, which the runner appends
   * to the key and to each fallback key (GitLab's `Ci::Build#cache`, app/models/ci/build.rb).
   */
  keySuffix: Type.Optional(Type.String()),
});
export type JobCache = Static<typeof JobCacheSchema>;

/** The container and cache settings of a build, stored with it and handed to the runner. */
export interface BuildRunSpec {
  image: JobImage | null;
  services: JobService[];
  cache: JobCache[];
}
