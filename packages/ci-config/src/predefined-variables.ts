// GitLab's predefined CI/CD variables that a local run can know, computed in one place for both the
// pipeline's rules (what GitLab knows at creation) and the job the runner gets.
// https://docs.gitlab.com/ci/variables/predefined_variables/

import { createHash } from "node:crypto";
import { isBranchPipeline } from "./match-refs.js";
import type { PipelineContext } from "./pipeline-context.js";

/** The GitLab version buildsim's API and `CI_SERVER_VERSION` follow. */
export const GITLAB_COMPAT_VERSION = "17.0.0";

/** GitLab's `CI_COMMIT_REF_SLUG`: lowercased, non-alphanumerics to `-`, at most 63 bytes, no edge dashes. */
export function refSlug(ref: string): string {
  return ref
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "-")
    .slice(0, 63)
    .replace(/^-+|-+$/g, "");
}

/**
 * GitLab's `CI_ENVIRONMENT_SLUG` (`Gitlab::Slug::Environment`): lowercase, `[a-z0-9-]`, starts with a
 * letter, no repeated dashes, at most 24 characters; a name that had to change gets a 6-character suffix
 * from its SHA-256 so two names never share a slug.
 */
export function environmentSlug(name: string): string {
  let slug = name.toLowerCase().replace(/[^a-z0-9]/g, "-");
  if (!/^[a-z]/.test(slug)) slug = `env-${slug}`;
  slug = slug.replace(/-+/g, "-");
  if (slug.length <= 24 && slug === name) return slug.replace(/-$/, "");
  const digest = BigInt(`0x${createHash("sha256").update(name).digest("hex")}`).toString(36);
  const short = slug.slice(0, 17);
  return `${short}${short.endsWith("-") ? "" : "-"}${digest.slice(-6)}`;
}

/** GitLab's guess of `environment:deployment_tier` from the environment's name (`Environment#guess_tier`). */
export function guessEnvironmentTier(name: string): string {
  if (/(dev|review|trunk)/i.test(name)) return "development";
  if (/(test|tst|int|ac(ce|)pt|qa|qc|control|quality)/i.test(name)) return "testing";
  if (/(st(a|)g|mod(e|)l|pre|demo|non)/i.test(name)) return "staging";
  if (/(pr(o|)d|live)/i.test(name)) return "production";
  return "other";
}

/** Everything the predefined variables are computed from; absent parts leave their variables out. */
export interface PredefinedVariablesInput {
  /** The server's base URL, without a trailing slash. */
  serverUrl: string;
  project: {
    id?: number;
    path: string;
    title?: string;
    description?: string | null;
    visibility?: string;
  };
  ref: string;
  tag: boolean;
  /** Whether `ref` is protected (GitLab protects the default branch). */
  refProtected: boolean;
  defaultBranch: string;
  /** `CI_PIPELINE_SOURCE`. */
  source: string;
  commit: {
    sha: string;
    beforeSha?: string | null;
    message: string;
    authorName?: string;
    authorEmail?: string;
    /** ISO 8601 commit date. */
    timestamp?: string;
  };
  /** Persisted pipeline variables (absent while rules are evaluated, as in GitLab). */
  pipeline?: { id: number; iid: number; createdAt?: string };
  user?: { id: number; username: string; name: string; email: string };
  job?: {
    name: string;
    /** The name in the file, before `parallel:` expansion (`CI_JOB_GROUP_NAME`). */
    groupName?: string;
    stage: string;
    /** Parallel instance; `CI_NODE_TOTAL` is 1 without `parallel:`. */
    nodeIndex?: number;
    nodeTotal?: number;
    image?: string | null;
    timeoutS?: number;
    /** Persisted job variables, known once the job exists. */
    id?: number;
    token?: string;
    manual?: boolean;
  };
  environment?: { name: string; url?: string | null; action?: string; tier?: string | null };
  runner?: { id: number; description: string; tags: readonly string[] };
  /** @default ".gitlab-ci.yml" */
  configPath?: string;
}

/** Title and description as GitLab splits a commit message (`Commit#title`, `#description`). */
export function commitTitleAndDescription(message: string): { title: string; description: string } {
  const [first = "", ...rest] = message.replace(/\r\n/g, "\n").split("\n");
  // A title of 100 characters or more is cut at 80; the description is then the whole message.
  if (first.length >= 100) return { title: `${first.slice(0, 80)}…`, description: message };
  return { title: first, description: rest.join("\n").replace(/^\n+/, "") };
}

/** The predefined variables for `input`, in the reference's (alphabetical) order. */
export function predefinedVariables(input: PredefinedVariablesInput): Record<string, string> {
  const vars: Record<string, string> = {};
  const set = (key: string, value: string | number | null | undefined) => {
    if (value !== undefined && value !== null) vars[key] = String(value);
  };
  const url = new URL(input.serverUrl);
  const protocol = url.protocol.replace(/:$/, "");
  const port = url.port || (protocol === "https" ? "443" : "80");
  const path = input.project.path;
  const slash = path.lastIndexOf("/");
  const namespace = slash >= 0 ? path.slice(0, slash) : "";
  const projectName = path.slice(slash + 1);
  const projectUrl = `${input.serverUrl}/${path}`;
  const { title, description } = commitTitleAndDescription(input.commit.message);
  const [major = "0", minor = "0", patch = "0"] = GITLAB_COMPAT_VERSION.split(".");
  const job = input.job;

  set("CI", "true");
  set("CI_API_GRAPHQL_URL", `${input.serverUrl}/api/graphql`);
  set("CI_API_V4_URL", `${input.serverUrl}/api/v4`);
  if (input.commit.authorName !== undefined)
    set("CI_COMMIT_AUTHOR", `${input.commit.authorName} <${input.commit.authorEmail ?? ""}>`);
  set("CI_COMMIT_BEFORE_SHA", input.commit.beforeSha ?? "0".repeat(40));
  if (!input.tag && isBranchPipeline({ tag: input.tag, source: input.source } as PipelineContext))
    set("CI_COMMIT_BRANCH", input.ref);
  set("CI_COMMIT_DESCRIPTION", description);
  set("CI_COMMIT_MESSAGE", input.commit.message);
  set("CI_COMMIT_REF_NAME", input.ref);
  set("CI_COMMIT_REF_PROTECTED", String(input.refProtected));
  set("CI_COMMIT_REF_SLUG", refSlug(input.ref));
  set("CI_COMMIT_SHA", input.commit.sha);
  set("CI_COMMIT_SHORT_SHA", input.commit.sha.slice(0, 8));
  if (input.tag) set("CI_COMMIT_TAG", input.ref);
  set("CI_COMMIT_TIMESTAMP", input.commit.timestamp);
  set("CI_COMMIT_TITLE", title);
  set("CI_CONFIG_PATH", input.configPath ?? ".gitlab-ci.yml");
  set("CI_DEFAULT_BRANCH", input.defaultBranch);
  set("CI_DEFAULT_BRANCH_SLUG", refSlug(input.defaultBranch));
  if (input.environment) {
    const env = input.environment;
    set("CI_ENVIRONMENT_ACTION", env.action ?? "start");
    set("CI_ENVIRONMENT_NAME", env.name);
    set("CI_ENVIRONMENT_SLUG", environmentSlug(env.name));
    set("CI_ENVIRONMENT_TIER", env.tier ?? guessEnvironmentTier(env.name));
    if (env.url) set("CI_ENVIRONMENT_URL", env.url);
  }
  if (job) {
    if (job.groupName !== undefined) set("CI_JOB_GROUP_NAME", job.groupName);
    set("CI_JOB_ID", job.id);
    if (job.image) set("CI_JOB_IMAGE", job.image);
    if (job.manual) set("CI_JOB_MANUAL", "true");
    set("CI_JOB_NAME", job.name);
    set("CI_JOB_NAME_SLUG", refSlug(job.name));
    set("CI_JOB_STAGE", job.stage);
    set("CI_JOB_TIMEOUT", job.timeoutS);
    set("CI_JOB_TOKEN", job.token);
    if (job.id !== undefined) set("CI_JOB_URL", `${projectUrl}/-/jobs/${job.id}`);
    set("CI_NODE_INDEX", job.nodeIndex);
    set("CI_NODE_TOTAL", job.nodeTotal ?? 1);
  }
  if (input.pipeline) {
    set("CI_PIPELINE_CREATED_AT", input.pipeline.createdAt);
    set("CI_PIPELINE_ID", input.pipeline.id);
    set("CI_PIPELINE_IID", input.pipeline.iid);
  }
  set("CI_PIPELINE_SOURCE", input.source);
  if (input.source === "trigger") set("CI_PIPELINE_TRIGGERED", "true");
  if (input.pipeline) set("CI_PIPELINE_URL", `${projectUrl}/-/pipelines/${input.pipeline.id}`);
  set("CI_PROJECT_DESCRIPTION", input.project.description ?? "");
  set("CI_PROJECT_ID", input.project.id);
  set("CI_PROJECT_NAME", projectName);
  set("CI_PROJECT_NAMESPACE", namespace);
  set("CI_PROJECT_NAMESPACE_SLUG", refSlug(namespace));
  set("CI_PROJECT_PATH", path);
  set("CI_PROJECT_PATH_SLUG", refSlug(path));
  set("CI_PROJECT_ROOT_NAMESPACE", namespace.split("/")[0] ?? "");
  set("CI_PROJECT_TITLE", input.project.title ?? projectName);
  set("CI_PROJECT_URL", projectUrl);
  set("CI_PROJECT_VISIBILITY", input.project.visibility ?? "private");
  if (input.runner && job?.token !== undefined) {
    set("CI_REPOSITORY_URL", `${protocol}://gitlab-ci-token:${job.token}@${url.host}/${path}.git`);
  }
  if (input.runner) {
    set("CI_RUNNER_DESCRIPTION", input.runner.description);
    set("CI_RUNNER_ID", input.runner.id);
    set("CI_RUNNER_TAGS", JSON.stringify(input.runner.tags));
  }
  set("CI_SERVER", "yes");
  set("CI_SERVER_FQDN", url.host);
  set("CI_SERVER_HOST", url.hostname);
  set("CI_SERVER_NAME", "GitLab");
  set("CI_SERVER_PORT", port);
  set("CI_SERVER_PROTOCOL", protocol);
  set("CI_SERVER_REVISION", "buildsim");
  set("CI_SERVER_URL", input.serverUrl);
  set("CI_SERVER_VERSION", GITLAB_COMPAT_VERSION);
  set("CI_SERVER_VERSION_MAJOR", major);
  set("CI_SERVER_VERSION_MINOR", minor);
  set("CI_SERVER_VERSION_PATCH", patch);
  set("GITLAB_CI", "true");
  if (input.user) {
    set("GITLAB_USER_EMAIL", input.user.email);
    set("GITLAB_USER_ID", input.user.id);
    set("GITLAB_USER_LOGIN", input.user.username);
    set("GITLAB_USER_NAME", input.user.name);
  }
  return vars;
}

/** The predefined variables GitLab knows while it evaluates a pipeline's rules (no persisted ones). */
export function pipelineVariables(ctx: PipelineContext): Record<string, string> {
  return predefinedVariables({
    serverUrl: ctx.serverUrl ?? "http://localhost",
    project: { path: ctx.projectPath ?? "local/project", id: ctx.projectId },
    ref: ctx.ref,
    tag: ctx.tag,
    refProtected: ctx.refProtected ?? (!ctx.tag && ctx.ref === ctx.defaultBranch),
    defaultBranch: ctx.defaultBranch,
    source: ctx.source,
    commit: {
      sha: ctx.sha,
      beforeSha: ctx.beforeSha,
      message: ctx.commitMessage,
      ...(ctx.commitAuthor ?? {}),
    },
    ...(ctx.user ? { user: ctx.user } : {}),
  });
}
