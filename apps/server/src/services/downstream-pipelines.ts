// Creates the downstream pipeline of a trigger job (bridge) once it is pending, as GitLab's
// Ci::CreateDownstreamPipelineService does: preconditions (project, depth, hierarchy size, loops) fail the
// bridge with GitLab's failure reason; otherwise the bridge runs, the child (`parent_pipeline`) or
// multi-project (`pipeline`) pipeline is created with the bridge's variables, and the bridge succeeds at
// once unless it has a `strategy:` (then build-transitions makes it follow the downstream status).
// https://docs.gitlab.com/ci/pipelines/downstream_pipelines/

import type { IncludeFetch } from "@buildsim/ci-config";
import type { Build, FailureReason, Pipeline, Project } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import { readArtifactEntry } from "./artifact-entry.js";
import type { BuildTransitions } from "./build-transitions.js";
import type { CreatePipeline } from "./create-pipeline.js";
import { downstreamVariables } from "./downstream-variables.js";
import { createLocalIncludeSources } from "./local-include-sources.js";
import { checkoutProject, type PipelineFiles, type PipelineFilesRegistry } from "./pipeline-files.js";

/** CreateDownstreamPipelineService::MAX_NESTED_CHILDREN: a parent, a child and a grandchild at most. */
export const MAX_NESTED_CHILDREN = 2;
/** GitLab's default `pipeline_hierarchy_size` plan limit: pipelines in one tree, across projects. */
export const MAX_PIPELINE_HIERARCHY_SIZE = 1000;

export interface DownstreamDeps {
  store: Store;
  transitions: BuildTransitions;
  createPipeline: CreatePipeline;
  files: PipelineFilesRegistry;
  now: () => string;
  serverUrl: () => string;
  ciTemplatesDir: string | null;
  /** Writes GitLab's error messages of a failed creation where the bridge's reader sees them. */
  report: (bridge: Build, lines: string[]) => void;
}

/** The pipelines above `pipeline`, nearest first (`self_and_upstreams` without self). */
function upstreamsOf(store: Store, pipeline: Pipeline): Pipeline[] {
  const out: Pipeline[] = [];
  let next = pipeline.upstreamPipelineId;
  while (next !== null && out.length <= MAX_PIPELINE_HIERARCHY_SIZE) {
    const up = store.pipelines.get(next);
    if (!up) break;
    out.push(up);
    next = up.upstreamPipelineId;
  }
  return out;
}

/** Pipelines in the tree `root` heads (`complete_hierarchy_count`), counted up to the limit. */
function hierarchySize(store: Store, root: Pipeline): number {
  let count = 0;
  const queue = [root.id];
  while (queue.length > 0 && count <= MAX_PIPELINE_HIERARCHY_SIZE) {
    count++;
    for (const child of store.pipelines.listDownstream(queue.shift()!)) queue.push(child.id);
  }
  return count;
}

/** Why the downstream pipeline may not be created (`ensure_preconditions!`), or null when it may. */
function preconditionFailure(
  store: Store,
  bridge: Build,
  pipeline: Pipeline,
  target: Project | undefined,
): FailureReason | null {
  const child = bridge.trigger?.include != null;
  if (!target) return "downstream_bridge_project_not_found";
  if (target.id === bridge.projectId && !child) return "invalid_bridge_trigger";
  const upstreams = upstreamsOf(store, pipeline);
  if (child) {
    // self_and_project_ancestors: the bridge's pipeline and its parents in the same project.
    let depth = 1;
    for (const up of upstreams) {
      if (up.projectId !== pipeline.projectId) break;
      depth++;
    }
    if (depth > MAX_NESTED_CHILDREN) return "reached_max_descendant_pipelines_depth";
  }
  const root = upstreams.at(-1) ?? pipeline;
  if (hierarchySize(store, root) >= MAX_PIPELINE_HIERARCHY_SIZE) return "reached_max_pipeline_hierarchy_size";
  if (!child) {
    // has_cyclic_dependency?: one cycle through the same project, ref and source is allowed, two are not.
    const seen = new Map<string, number>();
    for (const p of [pipeline, ...upstreams]) {
      if (p.source === "parent_pipeline") continue;
      const key = `${p.projectId}\0${p.ref}\0${p.source}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    if ([...seen.values()].some((n) => n > 2)) return "pipeline_loop_detected";
  }
  return null;
}

/** `include:artifact`: a file out of the artifacts of the latest job `job` of the parent pipeline. */
function artifactReader(store: Store, pipelineId: number) {
  return (job: string, file: string): IncludeFetch => {
    const build = store.builds
      .listByPipeline(pipelineId)
      .filter((b) => b.name === job && !b.retried)
      .pop();
    const archive = build?.artifactsFile ? store.artifacts.read(build.id) : undefined;
    if (!archive)
      return {
        ok: false,
        message: `Job \`${job}\` not found in parent pipeline or does not have artifacts!`,
      };
    const entry = readArtifactEntry(archive.bytes, file);
    if (entry.kind !== "found") return { ok: false, message: `File \`${file}\` is empty!` };
    return { ok: true, content: Buffer.from(entry.bytes).toString("utf8") };
  };
}

/** Creates downstream pipelines for pending bridges. */
export function createDownstreamPipelines(d: DownstreamDeps) {
  const { store, transitions } = d;

  /** The child's entry file: the bridge's `trigger:include` as an `include:` (Ci::Bridge#yaml_for_downstream). */
  function childFiles(parent: PipelineFiles, bridge: Build, entryFile: string): PipelineFiles {
    const source = JSON.stringify({ include: bridge.trigger?.include ?? [] });
    return {
      ...parent,
      readFile: (path) => (path === entryFile ? source : parent.readFile(path)),
    };
  }

  /** Fails the bridge with `reason`, its log saying why. */
  function fail(bridge: Build, at: string, reason: FailureReason, lines: string[]): void {
    const current = transitions.fire(store.builds.get(bridge.id)!, { type: "drop", at, reason });
    d.report(current, lines);
  }

  /** Where the downstream pipeline reads its config: the parent's files, or the target project at its branch. */
  function sourceOf(bridge: Build, pipeline: Pipeline, target: Project, entryFile: string) {
    const trigger = bridge.trigger!;
    if (trigger.include !== null) {
      const parentFiles = d.files.of(pipeline);
      const commit = store.commits.get(pipeline.projectId, pipeline.sha);
      if (!parentFiles || !commit) return { ok: false as const, error: "Missing CI config file" };
      const files = childFiles(parentFiles, bridge, entryFile);
      return { ok: true as const, files, commit, ref: pipeline.ref, tag: pipeline.tag };
    }
    // cross_project_params: `trigger:branch`, else the downstream project's default branch.
    const ref = trigger.branch ?? target.defaultBranch;
    const found = checkoutProject(store, target, ref);
    return found.ok ? { ...found, ref } : found;
  }

  function create(bridge: Build, pipeline: Pipeline, target: Project, at: string): void {
    const trigger = bridge.trigger!;
    const child = trigger.include !== null;
    const entryFile = child ? `${bridge.name}:trigger:include` : ".gitlab-ci.yml";
    const source = sourceOf(bridge, pipeline, target, entryFile);
    if (!source.ok) {
      fail(bridge, at, "downstream_pipeline_creation_failed", [source.error]);
      return;
    }
    const { files, commit } = source;
    // CreateDownstreamPipelineService runs the bridge before it creates the pipeline.
    transitions.fire(store.builds.get(bridge.id)!, { type: "run", at, runnerId: null });
    const result = d.createPipeline({
      project: target,
      commit,
      ref: source.ref,
      tag: source.tag,
      beforeSha: child ? pipeline.beforeSha : (commit.parentIds[0] ?? null),
      source: child ? "parent_pipeline" : "pipeline",
      userId: bridge.userId,
      variables: downstreamVariables(store, bridge, d.serverUrl()),
      readFile: files.readFile,
      entryFile,
      exists: files.exists,
      changes: files.changes,
      listFiles: files.listFiles,
      includeSources: files.includeSources ?? createLocalIncludeSources(store, d.ciTemplatesDir),
      ...(child ? { artifact: artifactReader(store, pipeline.id) } : {}),
      ...(trigger.inputs ? { inputs: trigger.inputs } : {}),
      upstream: { bridgeId: bridge.id, pipelineId: pipeline.id },
      files,
    });
    if (!result.created) {
      fail(bridge, at, "downstream_pipeline_creation_failed", result.errors);
      return;
    }
    // Without a strategy the bridge's work is done once the pipeline exists (update_bridge_status!).
    const current = store.builds.get(bridge.id)!;
    if (trigger.strategy === null && current.status === "running")
      transitions.fire(current, { type: "success", at });
  }

  return {
    /** Creates the downstream pipeline of bridge `bridgeId` when it is pending and has none yet. */
    trigger(bridgeId: number): void {
      store.transaction(() => {
        const bridge = store.builds.get(bridgeId);
        if (!bridge?.trigger || bridge.status !== "pending" || store.pipelines.downstreamOf(bridge.id))
          return;
        const pipeline = store.pipelines.get(bridge.pipelineId);
        if (!pipeline) return;
        const at = d.now();
        const target =
          bridge.trigger.include !== null
            ? store.projects.get(bridge.projectId)
            : store.projects.getByPath(bridge.trigger.project ?? "");
        const reason = preconditionFailure(store, bridge, pipeline, target);
        if (reason) {
          transitions.fire(bridge, { type: "drop", at, reason });
          return;
        }
        create(bridge, pipeline, target!, at);
      });
    },
  };
}

export type DownstreamPipelines = ReturnType<typeof createDownstreamPipelines>;
