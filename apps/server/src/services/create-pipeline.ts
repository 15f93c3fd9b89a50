// Creates a pipeline from a project's `.gitlab-ci.yml`: load and validate it, plan the jobs (workflow
// rules, rules, only/except, parallel), insert pipeline and builds as `created` in one transaction, then
// let core's processing rule decide which start (pending), wait (manual) or are skipped.

import {
  buildFieldsOf,
  type CiFileReader,
  formatProblem,
  type IncludeOptions,
  type IncludeSources,
  loadCiConfig,
  type PipelineContext,
  pipelineVariables,
  planPipeline,
} from "@buildsim/ci-config";
import { type Build, type Commit, newBuild, newPipeline, type Pipeline, type Project } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import type { BuildTransitions } from "./build-transitions.js";
import type { PipelineFiles, PipelineFilesRegistry } from "./pipeline-files.js";
import { variablesForJob } from "./project-variables.js";
import { isRefProtected } from "./protected-branches.js";

export interface CreatePipelineInput {
  project: Project;
  /** The commit the pipeline runs for; inserted into the project when it is new. */
  commit: Commit;
  ref: string;
  tag: boolean;
  beforeSha: string | null;
  /** `CI_PIPELINE_SOURCE`: push, web, api… */
  source: string;
  userId: number | null;
  /** Variables given for this pipeline (highest precedence). */
  variables: Record<string, string>;
  /** File and raw flags of some of `variables` (a trigger's `TRIGGER_PAYLOAD`); the rest are plain. */
  variableOptions?: Readonly<Record<string, { file?: boolean; raw?: boolean }>>;
  /** Reads `.gitlab-ci.yml` and every `include:local` as of this commit. */
  readFile: CiFileReader;
  /** `rules:exists`. @default a file the reader can read */
  exists?: (globs: readonly string[]) => boolean;
  /** `rules:changes`; GitLab answers true when it cannot compare. @default always true */
  changes?: (globs: readonly string[]) => boolean;
  /** @default ".gitlab-ci.yml" */
  entryFile?: string;
  /** Files included from other projects, URLs, templates and components (`loadCiConfigAsync`'s snapshot). */
  includeSources?: IncludeSources;
  /** Every file of the repository, for `include:local` wildcards. */
  listFiles?: () => readonly string[];
  /**
   * Run only these jobs (`buildsim run --job`): a name matches a job or all instances of a parallel job
   * (`test` matches `test 1/3`, `test: [a]`). Needs and dependencies on left-out jobs are dropped.
   */
  onlyJobs?: readonly string[];
  /** The trigger job (bridge) this downstream pipeline is created for, and the bridge's pipeline. */
  upstream?: { bridgeId: number; pipelineId: number };
  /** `include:artifact` of a child pipeline: a file from a job's artifacts in the parent pipeline. */
  artifact?: IncludeOptions["artifact"];
  /** Inputs for the entry file's `spec:inputs` (a multi-project trigger's `trigger:inputs`). */
  inputs?: Record<string, unknown>;
  /** The repository as the pipeline's child pipelines read it; defaults to the readers above. */
  files?: PipelineFiles;
}

/**
 * Keeps the jobs `onlyJobs` names exactly (a parallel or matrix job's name keeps all its instances) and
 * forgets their needs on the others.
 */
function selectJobs<
  T extends { name: string; groupName: string; needs: string[] | null; dependencies: string[] | null },
>(jobs: T[], onlyJobs: readonly string[] | undefined): T[] {
  if (!onlyJobs || onlyJobs.length === 0) return jobs;
  const kept = jobs.filter((j) => onlyJobs.includes(j.name) || onlyJobs.includes(j.groupName));
  const keptNames = new Set(kept.map((j) => j.name));
  return kept.map((j) => ({
    ...j,
    needs: j.needs?.filter((n) => keptNames.has(n)) ?? null,
    dependencies: j.dependencies?.filter((n) => keptNames.has(n)) ?? null,
  }));
}

/** A pipeline, or the reasons GitLab would refuse to create it (CI Lint's words, with positions). */
export type CreatePipelineResult =
  | { created: true; pipeline: Pipeline; builds: Build[]; warnings: string[] }
  | {
      created: false;
      errors: string[];
      /** `onlyJobs` names no job of the file has, and the job names it does have (file order). */
      unknownJobs?: { unknown: string[]; known: string[] };
    };

export interface CreatePipelineDeps {
  store: Store;
  transitions: BuildTransitions;
  now: () => string;
  generateToken: () => string;
  /** Remembers how each pipeline reads its repository, for its child pipelines. */
  files?: PipelineFilesRegistry;
}

const isFileVariable = (input: CreatePipelineInput, key: string): boolean =>
  input.variableOptions !== undefined &&
  Object.hasOwn(input.variableOptions, key) &&
  input.variableOptions[key]?.file === true;

const literalExists = (readFile: CiFileReader) => (globs: readonly string[]) =>
  globs.some((g) => !/[*?[{]/.test(g) && readFile(g) !== undefined);

/** Builds the `createPipeline(input)` service. */
export function createPipelineCreator({ store, transitions, now, generateToken, files }: CreatePipelineDeps) {
  return function createPipeline(input: CreatePipelineInput): CreatePipelineResult {
    const pipelineId = store.pipelines.nextId();
    const refProtected = isRefProtected(store, input.project.id, input);
    const context: PipelineContext = {
      ref: input.ref,
      tag: input.tag,
      source: input.source,
      sha: input.commit.sha,
      beforeSha: input.beforeSha ?? undefined,
      commitMessage: input.commit.message,
      defaultBranch: input.project.defaultBranch,
      projectPath: input.project.pathWithNamespace,
      pipelineId,
      variables: input.variables,
      ...(input.variableOptions ? { variableOptions: input.variableOptions } : {}),
      // Rules see the project's CI/CD variables: protected ones only on a protected ref, and only those
      // of every environment (`*`), as no job's environment is known.
      refProtected,
      projectVariables: variablesForJob(
        store.projectVariables.list(input.project.id),
        refProtected,
        null,
      ).map((v) => ({ key: v.key, value: v.value, raw: v.raw, file: v.variableType === "file" })),
      projectId: input.project.id,
      commitAuthor: {
        authorName: input.commit.authorName,
        authorEmail: input.commit.authorEmail,
        timestamp: input.commit.committedDate,
      },
      exists: input.exists ?? literalExists(input.readFile),
      changes: input.changes ?? (() => true),
    };
    const loaded = loadCiConfig({
      readFile: input.readFile,
      entryFile: input.entryFile,
      sources: input.includeSources,
      listFiles: input.listFiles,
      artifact: input.artifact,
      inputs: input.inputs,
      // Include paths and include:rules see predefined and pipeline variables, not the file's own.
      variables: { ...pipelineVariables(context), ...input.variables },
      exists: context.exists,
      changes: context.changes,
    });
    if (!loaded.config) return { created: false, errors: loaded.problems.map(formatProblem) };
    const known = [...new Set(loaded.config.jobs.map((j) => j.baseName))];
    const instances = new Set(loaded.config.jobs.flatMap((j) => [j.name, j.baseName]));
    const unknown = (input.onlyJobs ?? []).filter((name) => !instances.has(name));
    if (unknown.length > 0) {
      return {
        created: false,
        errors: [
          `no job ${unknown.map((n) => JSON.stringify(n)).join(", ")} in this pipeline; its jobs are: ${known.join(", ")}`,
        ],
        unknownJobs: { unknown, known },
      };
    }
    const plan = planPipeline(loaded.config, context);
    if (!plan.created) return { created: false, errors: [plan.reason] };
    const jobs = selectJobs(plan.jobs, input.onlyJobs);
    if (jobs.length === 0) return { created: false, errors: ["No stages / jobs for this pipeline."] };

    return store.transaction(() => {
      const at = now();
      if (!store.commits.get(input.project.id, input.commit.sha)) store.commits.insert(input.commit);
      const pipeline = newPipeline({
        id: pipelineId,
        projectId: input.project.id,
        sha: input.commit.sha,
        ref: input.ref,
        tag: input.tag,
        beforeSha: input.beforeSha,
        source: input.source,
        userId: input.userId,
        createdAt: at,
        upstreamBridgeId: input.upstream?.bridgeId ?? null,
        upstreamPipelineId: input.upstream?.pipelineId ?? null,
      });
      store.pipelines.insert(pipeline);
      store.pipelineVariables.insertAll(
        pipeline.id,
        Object.entries(input.variables).map(([key, value]) => ({
          key,
          value,
          variableType: isFileVariable(input, key) ? "file" : "env_var",
        })),
      );
      for (const job of jobs) {
        const build = newBuild({
          ...buildFieldsOf(job),
          id: store.builds.nextId(),
          projectId: input.project.id,
          pipelineId,
          ref: input.ref,
          tag: input.tag,
          sha: input.commit.sha,
          token: generateToken(),
          createdAt: at,
          userId: input.userId,
        });
        // GitLab creates a project's resource group with the first job that names it.
        if (build.resourceGroup !== null)
          store.resourceGroups.ensure(input.project.id, build.resourceGroup, at);
        store.builds.insert(build);
        transitions.announce(build);
      }
      files?.remember(
        pipelineId,
        input.files ?? {
          readFile: input.readFile,
          exists: context.exists,
          changes: context.changes,
          listFiles: input.listFiles,
          includeSources: input.includeSources,
        },
      );
      transitions.processPipeline(pipelineId, at);
      transitions.updatePipelineStatus(pipelineId, at);
      return {
        created: true as const,
        pipeline: store.pipelines.get(pipelineId)!,
        builds: store.builds.listByPipeline(pipelineId),
        warnings: loaded.warnings.map(formatProblem),
      };
    });
  };
}

export type CreatePipeline = ReturnType<typeof createPipelineCreator>;
