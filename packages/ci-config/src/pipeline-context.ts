// What a pipeline is created for: the ref, its source and commit, user variables and repository callbacks.

import type { ExpandableVariable } from "./expand-variables.js";

/** The pipeline being planned. Only the repository can answer `exists` and `changes`, so they are injected. */
export interface PipelineContext {
  /** Branch or tag name (not `refs/heads/…`). */
  ref: string;
  tag: boolean;
  /** `CI_PIPELINE_SOURCE`: push, web, api, schedule, trigger, pipeline, merge_request_event, chat, … */
  source: string;
  sha: string;
  /** @default forty zeros, as GitLab sends for a new branch */
  beforeSha?: string;
  commitMessage: string;
  defaultBranch: string;
  /** `namespace/project`; enables `CI_PROJECT_*` and `only: [branches@namespace/project]`. */
  projectPath?: string;
  pipelineId?: number;
  /** Variables given when the pipeline is created (trigger, `--var`, API: highest precedence). */
  variables?: Readonly<Record<string, string>>;
  /**
   * How some of `variables` are typed: GitLab's `TRIGGER_PAYLOAD` is a file variable that is never
   * expanded (`raw`). The rest are plain, expanded variables.
   */
  variableOptions?: Readonly<Record<string, { file?: boolean; raw?: boolean }>>;
  /**
   * The project's CI/CD variables that apply to this pipeline (protected ones only on a protected ref),
   * between the pipeline's variables and the file's in precedence.
   */
  projectVariables?: readonly ExpandableVariable[];
  /** The server's base URL for `CI_SERVER_*`/`CI_PROJECT_URL`. @default "http://localhost" */
  serverUrl?: string;
  projectId?: number;
  /** `CI_COMMIT_REF_PROTECTED`. @default true for the default branch only, as GitLab protects it */
  refProtected?: boolean;
  /** `CI_COMMIT_AUTHOR`, `CI_COMMIT_TIMESTAMP`. */
  commitAuthor?: { authorName: string; authorEmail: string; timestamp: string };
  /** The user the pipeline runs for (`GITLAB_USER_*`). */
  user?: { id: number; username: string; name: string; email: string };
  /** Whether any file matching one of the globs exists in the commit (`rules:exists`). */
  exists(globs: readonly string[]): boolean;
  /**
   * Whether any file matching one of the globs changed (`rules:changes`, `only:changes`). GitLab answers
   * true when it cannot compare (new branch, tag, schedule, web…); the callback should do the same.
   */
  changes(globs: readonly string[]): boolean;
  /** Timeout for jobs without `timeout:` (the project's setting). @default 3600 */
  defaultTimeoutS?: number;
}
