// Builds the payload a runner gets with a claimed build: steps, GitLab's predefined CI_* variables, the
// artifacts to collect and the dependencies whose artifacts it downloads.

import { refSlug } from "@buildsim/ci-config";
import type { Build, JobDependency, JobPayload, JobVariable, Runner } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import { crossDependenciesOf } from "./cross-dependencies.js";

/** Where the server is reachable, for `CI_SERVER_URL` and friends. */
export interface JobPayloadContext {
  store: Store;
  /** The server's base URL, without a trailing slash. */
  serverUrl: string;
}

/**
 * The builds `build` downloads artifacts from: the latest build of each name in earlier stages (or of
 * its `needs:`), narrowed to `dependencies:` when given.
 */
export function dependenciesOf(build: Build, pipelineBuilds: readonly Build[]): Build[] {
  const latest = new Map<string, Build>();
  for (const b of pipelineBuilds) {
    if (b.id === build.id || b.retried) continue;
    const seen = latest.get(b.name);
    if (!seen || b.id > seen.id) latest.set(b.name, b);
  }
  let candidates = [...latest.values()].filter((b) =>
    build.needs === null ? b.stageIdx < build.stageIdx : build.needs.includes(b.name),
  );
  if (build.dependencies !== null) {
    const wanted = build.dependencies;
    candidates = candidates.filter((b) => wanted.includes(b.name));
  }
  return candidates.sort((a, b) => a.id - b.id);
}

function predefinedVariables(build: Build, runner: Runner, c: JobPayloadContext): JobVariable[] {
  const project = c.store.projects.get(build.projectId);
  const pipeline = c.store.pipelines.get(build.pipelineId);
  const commit = c.store.commits.get(build.projectId, build.sha);
  const path = project?.pathWithNamespace ?? String(build.projectId);
  const namespace = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : path;
  const projectName = path.slice(path.lastIndexOf("/") + 1);
  const projectUrl = `${c.serverUrl}/${path}`;
  const user = build.userId === null ? undefined : c.store.users.get(build.userId);
  const vars: Array<[string, string]> = [
    ["CI", "true"],
    ["GITLAB_CI", "true"],
    ["CI_SERVER", "yes"],
    ["CI_SERVER_NAME", "GitLab"],
    ["CI_SERVER_URL", c.serverUrl],
    ["CI_API_V4_URL", `${c.serverUrl}/api/v4`],
    ["CI_JOB_ID", String(build.id)],
    ["CI_JOB_NAME", build.name],
    ["CI_JOB_STAGE", build.stage],
    ["CI_JOB_TOKEN", build.token],
    ["CI_JOB_URL", `${projectUrl}/-/jobs/${build.id}`],
    ["CI_PIPELINE_ID", String(build.pipelineId)],
    ["CI_PIPELINE_SOURCE", pipeline?.source ?? "push"],
    ["CI_PIPELINE_URL", `${projectUrl}/-/pipelines/${build.pipelineId}`],
    ["CI_PROJECT_ID", String(build.projectId)],
    ["CI_PROJECT_NAME", projectName],
    ["CI_PROJECT_PATH", path],
    ["CI_PROJECT_PATH_SLUG", refSlug(path)],
    ["CI_PROJECT_NAMESPACE", namespace],
    ["CI_PROJECT_URL", projectUrl],
    ["CI_PROJECT_VISIBILITY", project?.visibility ?? "private"],
    ["CI_DEFAULT_BRANCH", project?.defaultBranch ?? "master"],
    ["CI_COMMIT_SHA", build.sha],
    ["CI_COMMIT_SHORT_SHA", build.sha.slice(0, 8)],
    ["CI_COMMIT_BEFORE_SHA", pipeline?.beforeSha ?? "0".repeat(40)],
    ["CI_COMMIT_REF_NAME", build.ref],
    ["CI_COMMIT_REF_SLUG", refSlug(build.ref)],
    [build.tag ? "CI_COMMIT_TAG" : "CI_COMMIT_BRANCH", build.ref],
    ["CI_RUNNER_ID", String(runner.id)],
    ["CI_RUNNER_DESCRIPTION", runner.description],
    ["CI_RUNNER_TAGS", runner.tagList.join(", ")],
  ];
  if (commit) {
    vars.push(["CI_COMMIT_MESSAGE", commit.message]);
    vars.push(["CI_COMMIT_TITLE", commit.message.split("\n")[0] ?? ""]);
    vars.push(["CI_COMMIT_AUTHOR", `${commit.authorName} <${commit.authorEmail}>`]);
  }
  if (user) {
    vars.push(["GITLAB_USER_ID", String(user.id)]);
    vars.push(["GITLAB_USER_LOGIN", user.username]);
    vars.push(["GITLAB_USER_NAME", user.name]);
    vars.push(["GITLAB_USER_EMAIL", user.email]);
  }
  // The job token is a secret: GitLab marks it non-public so runners mask it.
  return vars.map(([key, value]) => ({ key, value, public: key !== "CI_JOB_TOKEN" }));
}

/**
 * GitLab's precedence, lowest first: predefined, the job's YAML variables, then the dotenv reports of
 * the builds it takes artifacts from, then variables given for the pipeline (`public: false`).
 */
function withDotenv(
  predefined: JobVariable[],
  own: readonly JobVariable[],
  upstream: readonly Build[],
): JobVariable[] {
  const dotenv = upstream.flatMap((d) => d.dotenvVariables.map((v) => ({ ...v, public: false })));
  return [...predefined, ...own.filter((v) => v.public), ...dotenv, ...own.filter((v) => !v.public)];
}

/** The payload for `build` (already running on `runner`). */
export function buildJobPayload(build: Build, runner: Runner, c: JobPayloadContext): JobPayload {
  const pipeline = c.store.pipelines.get(build.pipelineId);
  const project = c.store.projects.get(build.projectId);
  const steps: JobPayload["steps"] = [
    {
      name: "script",
      script: [...build.beforeScript, ...build.commands],
      timeoutS: build.timeoutS,
      when: "on_success",
      allowFailure: build.allowFailure,
    },
  ];
  if (build.afterScript.length > 0)
    steps.push({
      name: "after_script",
      script: build.afterScript,
      timeoutS: build.timeoutS,
      when: "always",
      allowFailure: true,
    });
  const a = build.artifactsOptions;
  // A first-stage build without `needs:` has no earlier builds to depend on: skip reading the pipeline.
  const hasUpstream = build.needs !== null ? build.needs.length > 0 : build.stageIdx > 0;
  const local = hasUpstream ? dependenciesOf(build, c.store.builds.listByPipeline(build.pipelineId)) : [];
  // `needs:project` / `needs:pipeline` add jobs of other pipelines, after the pipeline's own.
  const cross = build.crossDependencies.length > 0 ? crossDependenciesOf(c.store, build).builds : [];
  const upstream = [...local, ...cross];
  const dependencies: JobDependency[] = upstream.map((d) => ({
    id: d.id,
    name: d.name,
    token: d.token,
    artifactsFile: d.artifactsFile,
  }));
  return {
    id: build.id,
    token: build.token,
    name: build.name,
    stage: build.stage,
    projectId: build.projectId,
    projectPath: project?.pathWithNamespace ?? String(build.projectId),
    ref: build.ref,
    refType: build.tag ? "tag" : "branch",
    sha: build.sha,
    beforeSha: pipeline?.beforeSha ?? null,
    timeoutS: build.timeoutS,
    steps,
    variables: withDotenv([...predefinedVariables(build, runner, c)], build.variables, upstream),
    artifacts: a
      ? {
          name: a.name ?? null,
          paths: a.paths,
          exclude: a.exclude ?? [],
          when: a.when,
          expireIn: a.expireIn ?? null,
          reportsDotenv: a.reportsDotenv ?? [],
        }
      : null,
    dependencies,
    allowFailureExitCodes: build.allowFailureExitCodes,
    // Builds made before run specs were kept (or through the API) carry image and services by name only.
    image: build.runSpec?.image ?? (build.image ? { name: build.image } : null),
    services: build.runSpec?.services ?? build.services.map((name) => ({ name, aliases: [], variables: [] })),
    cache: build.runSpec?.cache ?? [],
    sourceDir: c.store.projectSources.get(build.projectId) ?? null,
  };
}
