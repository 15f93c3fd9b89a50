// Where files included from outside the repository come from, as the synchronous loader sees them: a
// fetched file, GitLab's error for it, or "pending" while the asynchronous resolver still fetches it.

/** One file from a source. `pending` means the async resolver has not fetched it yet (no error). */
export type IncludeFetch =
  | { ok: true; content: string }
  | { ok: false; message: string; notFound?: boolean }
  | { ok: "pending" };

/** Answers `include:project`, `include:remote`, `include:template` and `include:component`. */
export interface IncludeSources {
  /** A file of project `project` at `ref` (null: its default branch). */
  project(project: string, ref: string | null, file: string): IncludeFetch;
  /** An `include:remote` URL. */
  remote(url: string): IncludeFetch;
  /** A CI template by file name (`Auto-DevOps.gitlab-ci.yml`). */
  template(name: string): IncludeFetch;
  /** A component's template file, with the project and ref its own `include:local` files read from. */
  component(address: string): IncludeFetch & { project?: string; ref?: string };
}

/** The flags that would resolve each kind of include, named in the one error an unresolved include gets. */
export const RESOLVE_HINTS = {
  project:
    "map it in .buildsim/includes.yml (--include-map), register it with --project <path>=<dir>, or give --gitlab-url",
  component:
    "map it in .buildsim/includes.yml (--include-map), register its project with --project <path>=<dir>, or give --gitlab-url",
  template: "map it in .buildsim/includes.yml (--include-map) or give --gitlab-url",
  remote: "map it in .buildsim/includes.yml (--include-map) or allow network access",
} as const;

/** Sources for a run that may not fetch anything: every include from outside is one clear error. */
export const OFFLINE_SOURCES: IncludeSources = {
  project: (project) => ({
    ok: false,
    message: `Project \`${project}\` is not available offline: ${RESOLVE_HINTS.project}`,
  }),
  remote: (url) => ({
    ok: false,
    message: `Remote file \`${url}\` is not available offline: ${RESOLVE_HINTS.remote}`,
  }),
  template: (name) => ({
    ok: false,
    message: `Template file \`${name}\` is not available offline: ${RESOLVE_HINTS.template}`,
  }),
  component: (address) => ({
    ok: false,
    message: `Component \`${address}\` is not available offline: ${RESOLVE_HINTS.component}`,
  }),
};
