// What a job runs in and keeps between pipelines: `image:`, `services:` and `cache:` as the runner needs them.

/** GitLab Runner's `pull_policy` values. */
export type PullPolicy = "always" | "if-not-present" | "never";

/** `image:` as a string or `{name, entrypoint, pull_policy, docker: {user}}`. */
export interface JobImage {
  name: string;
  /** Overrides the image's ENTRYPOINT (`[""]` clears it). */
  entrypoint?: string[];
  /** Allowed policies, tried in order; absent means the runner's default (`if-not-present`). */
  pullPolicy?: PullPolicy[];
  /** `docker:user`: the user the scripts run as. */
  user?: string;
}

/** One `services:` entry. */
export interface JobService extends JobImage {
  /** `alias:` split at commas; Runner's default aliases are added by the runner. */
  aliases: string[];
  /** Overrides the image's CMD. */
  command?: string[];
  /** Variables only this service sees. */
  variables: Array<{ key: string; value: string }>;
}

/** `cache:key` — a string (with variables), or `files:` whose contents make the key, with a `prefix:`. */
export type JobCacheKey = string | { files: string[]; prefix: string | null };

/** One `cache:` entry. */
export interface JobCache {
  key: JobCacheKey;
  paths: string[];
  untracked: boolean;
  policy: "pull" | "push" | "pull-push";
  when: "on_success" | "on_failure" | "always";
  fallbackKeys: string[];
}

/** The container and cache settings of a build, stored with it and handed to the runner. */
export interface BuildRunSpec {
  image: JobImage | null;
  services: JobService[];
  cache: JobCache[];
}
