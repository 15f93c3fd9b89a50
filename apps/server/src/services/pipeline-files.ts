// The repository a pipeline's config was read from, so its child pipelines read the same files: what
// `buildsim run` or the API gave `createPipeline` (a work tree or a git commit), remembered per pipeline,
// else the project's registered git repository at the pipeline's sha, or at a branch for a multi-project
// downstream pipeline.

import { type CiFileReader, createChangesCheck, type IncludeSources, matchesGlob } from "@buildsim/ci-config";
import type { Commit, Pipeline, Project } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import { createGitSource } from "./git-source.js";

/** How a pipeline reads its repository: files, `rules:exists`/`changes`, wildcards and other sources. */
export interface PipelineFiles {
  readFile: CiFileReader;
  exists: (globs: readonly string[]) => boolean;
  changes: (globs: readonly string[]) => boolean;
  listFiles?: () => readonly string[];
  includeSources?: IncludeSources;
}

/** A commit of a project's repository, ready to create a pipeline from. */
export type ProjectCheckout =
  | { ok: true; files: PipelineFiles; commit: Commit; tag: boolean }
  | { ok: false; error: string };

/** Pipelines remembered at most: older ones fall back to the project's git repository. */
const REMEMBERED = 1000;

/** Git files of a project at `ref`, answered with GitLab's pipeline creation errors. */
export function checkoutProject(store: Store, project: Project, ref: string): ProjectCheckout {
  const dir = store.projectSources.get(project.id);
  if (!dir) return { ok: false, error: "Missing CI config file" };
  const git = createGitSource(dir);
  const resolved = git.resolve(ref);
  if (!resolved) return { ok: false, error: "Reference not found" };
  let files: string[] | null = null;
  const listFiles = () => (files ??= git.files(resolved.sha));
  return {
    ok: true,
    commit: git.commit(project.id, resolved.sha),
    tag: resolved.tag,
    files: {
      readFile: git.reader(resolved.sha),
      exists: (globs) => globs.some((g) => listFiles().some((f) => matchesGlob(g, f))),
      changes: createChangesCheck(git.changedPaths(resolved.sha)),
      listFiles,
    },
  };
}

/** Remembers each pipeline's files; answers a pipeline's files for its child pipelines. */
export function createPipelineFiles(store: Store) {
  const byPipeline = new Map<number, PipelineFiles>();
  return {
    remember(pipelineId: number, files: PipelineFiles): void {
      byPipeline.set(pipelineId, files);
      if (byPipeline.size > REMEMBERED) byPipeline.delete(byPipeline.keys().next().value as number);
    },
    /** The files `pipeline` was created from, or its project's git repository at its sha. */
    of(pipeline: Pipeline): PipelineFiles | null {
      const known = byPipeline.get(pipeline.id);
      if (known) return known;
      const project = store.projects.get(pipeline.projectId);
      const checkout = project ? checkoutProject(store, project, pipeline.sha) : null;
      return checkout?.ok ? checkout.files : null;
    },
  };
}

export type PipelineFilesRegistry = ReturnType<typeof createPipelineFiles>;
