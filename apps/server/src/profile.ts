// Which v3 behaviour the server follows: the seed document (`docs`, the default) or GitLab 8.17's code.

/** `docs`: the seed document wins where it speaks. `gitlab-8.17`: GitLab's real behaviour on every divergence. */
export type ApiProfile = "docs" | "gitlab-8.17";

export const API_PROFILES: readonly ApiProfile[] = ["docs", "gitlab-8.17"];

export const isApiProfile = (v: unknown): v is ApiProfile =>
  typeof v === "string" && (API_PROFILES as readonly string[]).includes(v);
