// `only:refs` / `except:refs` matching as GitLab's Build::Policy::Refs does it: keywords (branches, tags,
// pipeline sources and their plurals), `/regex/` patterns and literal names, with an optional `@project`.

import { compilePattern } from "./expression.js";
import type { PipelineContext } from "./pipeline-context.js";

const PLURALS: Record<string, string> = {
  push: "pushes",
  web: "webs",
  api: "apis",
  schedule: "schedules",
  trigger: "triggers",
  merge_request: "merge_requests",
  external_pull_request: "external_pull_requests",
  pipeline: "pipelines",
  chat: "chats",
  external: "externals",
  parent_pipeline: "parent_pipelines",
};

function sourceName(source: string): string {
  return source.replace(/_event$/, "");
}

/** Whether the pipeline is for a branch (not a tag and not a merge request). */
export function isBranchPipeline(ctx: PipelineContext): boolean {
  return (
    !ctx.tag &&
    sourceName(ctx.source) !== "merge_request" &&
    sourceName(ctx.source) !== "external_pull_request"
  );
}

function matchesPattern(pattern: string, ctx: PipelineContext): boolean {
  const branch = isBranchPipeline(ctx);
  if (ctx.tag && pattern === "tags") return true;
  if (branch && pattern === "branches") return true;
  const source = sourceName(ctx.source);
  if (pattern === source || pattern === PLURALS[source]) return true;
  // Names and patterns only match branch and tag pipelines, never merge request ones.
  if (!branch && !ctx.tag) return false;
  const regex = /^\/(.*)\/([ismU]*)$/.exec(pattern);
  if (regex) {
    const compiled = compilePattern(regex[1]!, regex[2]!);
    return compiled ? compiled.test(ctx.ref) : pattern === ctx.ref;
  }
  return pattern === ctx.ref;
}

/** True when any of `patterns` matches the pipeline. */
export function matchesRefs(patterns: readonly string[], ctx: PipelineContext): boolean {
  return patterns.some((raw) => {
    if (raw.startsWith("/") && raw.endsWith("/")) return matchesPattern(raw, ctx);
    const at = raw.indexOf("@");
    if (at < 0) return matchesPattern(raw, ctx);
    const project = raw.slice(at + 1);
    return project === ctx.projectPath && matchesPattern(raw.slice(0, at), ctx);
  });
}
