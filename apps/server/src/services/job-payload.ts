// Builds the payload a runner gets with a claimed build: steps, GitLab's predefined CI_* variables, the
// artifacts to collect and the dependencies whose artifacts it downloads.

import { expandVariableSet, predefinedVariables } from "@buildsim/ci-config";
import type {
  Build,
  JobDependency,
  JobPayload,
  JobVariable,
  Pipeline,
  Project,
  Runner,
} from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import type { UpstreamBuild } from "../store/processing-queries.js";
import { crossDependenciesOf } from "./cross-dependencies.js";
import { jobCaches } from "./job-caches.js";
import { variablesForJob } from "./project-variables.js";
import { isRefProtected } from "./protected-branches.js";

/** Where the server is reachable, for `CI_SERVER_URL` and friends. */
export interface JobPayloadContext {
  store: Store;
  /** The server's base URL, without a trailing slash. */
  serverUrl: string;
}

/**
 * What several parts of a payload need of the build's project and pipeline, read once: each read is a
 * round trip on PostgreSQL, and the payload was reading the pipeline and project twice and the protected
 * branches three times.
 */
export interface PayloadFacts {
  project: Project | undefined;
  pipeline: Pipeline | undefined;
  /** `CI_COMMIT_REF_PROTECTED`: protected variables and protected caches depend on it too. */
  refProtected: boolean;
}

/** Reads {@link PayloadFacts} of `build`. */
function payloadFacts(build: Build, c: JobPayloadContext): PayloadFacts {
  return {
    project: c.store.projects.get(build.projectId),
    pipeline: c.store.pipelines.get(build.pipelineId),
    refProtected: isRefProtected(c.store, build.projectId, build),
  };
}

/**
 * The builds `build` downloads artifacts from: the latest build of each name in earlier stages (or of
 * its `needs:`), narrowed to `dependencies:` when given.
 */
export function dependenciesOf<T extends Pick<Build, "id" | "name" | "retried" | "stageIdx">>(
  build: Pick<Build, "id" | "needs" | "stageIdx" | "dependencies">,
  pipelineBuilds: readonly T[],
): T[] {
  const latest = new Map<string, T>();
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

/** The latest builds before `build` (earlier stages, or its `needs`): what {@link dependenciesOf} picks from. */
export function upstreamCandidates(
  store: Store,
  build: Pick<Build, "pipelineId" | "needs" | "stageIdx">,
): UpstreamBuild[] {
  return store.builds.listUpstream(
    build.pipelineId,
    build.needs === null ? { beforeStage: build.stageIdx } : { names: build.needs },
  );
}

/**
 * The predefined variables of `build` on `runner` (GitLab's reference, what a local server knows); a
 * trigger job has no runner (null).
 */
function predefinedFor(
  build: Build,
  runner: Runner | null,
  c: JobPayloadContext,
  facts: PayloadFacts,
): Record<string, string> {
  const { project, pipeline } = facts;
  const commit = c.store.commits.get(build.projectId, build.sha);
  const user = build.userId === null ? undefined : c.store.users.get(build.userId);
  const own = (key: string) => build.variables.find((v) => v.public && v.key === key)?.value;
  const defaultBranch = project?.defaultBranch ?? "main";
  return predefinedVariables({
    serverUrl: c.serverUrl,
    project: {
      id: build.projectId,
      path: project?.pathWithNamespace ?? String(build.projectId),
      title: project?.name,
      description: project?.description ?? null,
      visibility: project?.visibility,
    },
    ref: build.ref,
    tag: build.tag,
    refProtected: facts.refProtected,
    defaultBranch,
    source: pipeline?.source ?? "push",
    commit: {
      sha: build.sha,
      beforeSha: pipeline?.beforeSha ?? null,
      message: commit?.message ?? "",
      ...(commit
        ? { authorName: commit.authorName, authorEmail: commit.authorEmail, timestamp: commit.committedDate }
        : {}),
    },
    ...(pipeline
      ? {
          pipeline: {
            id: pipeline.id,
            iid: c.store.pipelines.iidOf(pipeline),
            createdAt: pipeline.createdAt,
          },
        }
      : {}),
    ...(user ? { user: { id: user.id, username: user.username, name: user.name, email: user.email } } : {}),
    job: {
      id: build.id,
      name: build.name,
      groupName: own("CI_JOB_GROUP_NAME"),
      stage: build.stage,
      nodeIndex: own("CI_NODE_INDEX") === undefined ? undefined : Number(own("CI_NODE_INDEX")),
      nodeTotal: Number(own("CI_NODE_TOTAL") ?? 1),
      image: build.image,
      timeoutS: build.timeoutS,
      token: build.token,
      manual: build.when === "manual",
    },
    ...(runner ? { runner: { id: runner.id, description: runner.description, tags: runner.tagList } } : {}),
    ...(build.environment
      ? {
          environment: {
            name: build.environment.name,
            url: build.environment.url,
            action: build.environment.action,
            tier: build.environment.deploymentTier,
          },
        }
      : {}),
  });
}

/**
 * The job's variables, GitLab's precedence lowest first: predefined, the file's (`yaml_variables`), the
 * dotenv reports of the builds it takes artifacts from, the project's CI/CD variables, then the
 * pipeline's (trigger, `--var`, API: `public: false` on the build). Then GitLab's nested expansion
 * (`sort_and_expand_all`), keeping raw and file variables and unknown references for the runner.
 * https://docs.gitlab.com/ci/variables/#cicd-variable-precedence
 */
export function jobVariables(
  build: Build,
  runner: Runner | null,
  c: JobPayloadContext,
  upstream: readonly Pick<Build, "dotenvVariables">[],
  facts: PayloadFacts = payloadFacts(build, c),
): JobVariable[] {
  // Protected variables only reach jobs on a ref a protected branch rule covers.
  const { refProtected } = facts;
  // Environment-scoped variables apply to jobs whose environment matches their scope.
  const projectVars = variablesForJob(
    c.store.projectVariables.list(build.projectId),
    refProtected,
    build.environment?.name ?? null,
  );
  const layers: JobVariable[] = [
    ...Object.entries(predefinedFor(build, runner, c, facts)).map(([key, value]) =>
      // The job token is a secret: GitLab sends it masked and non-public.
      key === "CI_JOB_TOKEN" ? { key, value, public: false, masked: true } : { key, value, public: true },
    ),
    ...build.variables.filter((v) => v.public).map((v) => ({ ...v })),
    ...upstream.flatMap((d) => d.dotenvVariables.map((v) => ({ key: v.key, value: v.value, public: false }))),
    ...projectVars.map((v) => ({
      key: v.key,
      value: v.value,
      public: false,
      ...(v.masked ? { masked: true } : {}),
      ...(v.variableType === "file" ? { file: true } : {}),
      ...(v.raw ? { raw: true } : {}),
    })),
    ...build.variables.filter((v) => !v.public).map((v) => ({ ...v })),
  ];
  const expanded = expandVariableSet(layers);
  const flags = new Map(layers.map((v) => [v.key, v]));
  return expanded.variables.map((v) => ({ ...flags.get(v.key)!, value: v.value }));
}

/** The payload for `build` (already running on `runner`). */
export function buildJobPayload(build: Build, runner: Runner, c: JobPayloadContext): JobPayload {
  const facts = payloadFacts(build, c);
  const { pipeline, project } = facts;
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
  const local = hasUpstream ? dependenciesOf(build, upstreamCandidates(c.store, build)) : [];
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
    variables: jobVariables(build, runner, c, upstream, facts),
    artifacts: a
      ? {
          name: a.name ?? null,
          paths: a.paths,
          exclude: a.exclude ?? [],
          when: a.when,
          expireIn: a.expireIn ?? null,
          ...(a.untracked ? { untracked: true } : {}),
          reportsDotenv: a.reportsDotenv ?? [],
          reportsJunit: a.reportsJunit ?? [],
        }
      : null,
    dependencies,
    allowFailureExitCodes: build.allowFailureExitCodes,
    // Builds made before run specs were kept (or through the API) carry image and services by name only.
    image: build.runSpec?.image ?? (build.image ? { name: build.image } : null),
    services: build.runSpec?.services ?? build.services.map((name) => ({ name, aliases: [], variables: [] })),
    cache: jobCaches(build.runSpec?.cache ?? [], facts.refProtected),
    sourceDir: c.store.projectSources.get(build.projectId) ?? null,
  };
}
