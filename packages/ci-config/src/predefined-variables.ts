// The predefined `CI_*` variables buildsim can compute from the pipeline context and the job.

import { isBranchPipeline } from "./match-refs.js";
import type { PipelineContext } from "./pipeline-context.js";

/** GitLab's `CI_COMMIT_REF_SLUG`: lowercased, non-alphanumerics to `-`, at most 63 bytes, no edge dashes. */
export function refSlug(ref: string): string {
  return ref
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "-")
    .slice(0, 63)
    .replace(/^-+|-+$/g, "");
}

/** Pipeline-wide predefined variables, in the order GitLab lists them. */
export function pipelineVariables(ctx: PipelineContext): Record<string, string> {
  const [title = "", ...rest] = ctx.commitMessage.split("\n");
  const vars: Record<string, string> = {
    CI: "true",
    GITLAB_CI: "true",
    CI_SERVER: "yes",
    CI_PIPELINE_SOURCE: ctx.source,
    CI_COMMIT_SHA: ctx.sha,
    CI_COMMIT_SHORT_SHA: ctx.sha.slice(0, 8),
    CI_COMMIT_BEFORE_SHA: ctx.beforeSha ?? "0".repeat(40),
    CI_COMMIT_REF_NAME: ctx.ref,
    CI_COMMIT_REF_SLUG: refSlug(ctx.ref),
    CI_COMMIT_MESSAGE: ctx.commitMessage,
    CI_COMMIT_TITLE: title,
    CI_COMMIT_DESCRIPTION: rest.join("\n").replace(/^\n+/, ""),
    CI_DEFAULT_BRANCH: ctx.defaultBranch,
  };
  if (ctx.tag) vars.CI_COMMIT_TAG = ctx.ref;
  else if (isBranchPipeline(ctx)) vars.CI_COMMIT_BRANCH = ctx.ref;
  if (ctx.pipelineId !== undefined) vars.CI_PIPELINE_ID = String(ctx.pipelineId);
  if (ctx.projectPath) {
    const parts = ctx.projectPath.split("/");
    vars.CI_PROJECT_PATH = ctx.projectPath;
    vars.CI_PROJECT_NAME = parts[parts.length - 1] ?? ctx.projectPath;
    vars.CI_PROJECT_NAMESPACE = parts.slice(0, -1).join("/");
    vars.CI_PROJECT_PATH_SLUG = refSlug(ctx.projectPath);
  }
  return vars;
}
