// The handle's set-up surface for local CI (`server.local`): what `buildsim run` and `buildsim lint` do
// before a pipeline exists (with the handle's `adminUserId` and `replaceProjectVariables`), so the CLI
// never reaches into the server's wiring or its store.

import type { Project, Runner } from "@buildsim/core";
import type { App } from "./app.js";
import type { CreatePipelineInput, CreatePipelineResult } from "./services/create-pipeline.js";
import { ensureLocalRunner, type LocalProjectInput, registerLocalProject } from "./services/local-project.js";

/**
 * A pipeline of a local work tree, as `buildsim run` creates it: the commit, ref and readers of its
 * files. What only the server sets (a downstream pipeline's upstream, its `include:artifact`, its inputs)
 * is left out.
 */
export type LocalPipelineInput = Omit<
  CreatePipelineInput,
  "upstream" | "artifact" | "inputs" | "files" | "variableOptions"
>;

/** Local CI's set-up, on the running server's handle as `server.local`. */
export interface LocalCi {
  /**
   * The project of a local work tree: found by `pathWithNamespace` (its source directory and default
   * branch refreshed) or created private, with `ownerId` a master and the default branch protected.
   * The server serves its files to `include:project` and the repository files API.
   */
  registerProject(input: LocalProjectInput): Project;
  /**
   * The shared runner `buildsim run` runs its builds with, created on first use; `tagList` is added to
   * its tags. Its `token` is what the runner connects with.
   */
  ensureRunner(tagList?: readonly string[]): Runner;
  /**
   * Creates a pipeline from the project's `.gitlab-ci.yml` as a push would, in one transaction: the
   * pipeline and its builds, or the reasons GitLab would refuse it (CI Lint's words).
   */
  createPipeline(input: LocalPipelineInput): CreatePipelineResult;
}

/** The local CI surface over one server's wiring. */
export function createLocalCi(app: Pick<App, "store" | "now" | "generateToken" | "createPipeline">): LocalCi {
  return {
    registerProject: (input) => registerLocalProject(app, input),
    ensureRunner: (tagList = []) => ensureLocalRunner(app, tagList),
    createPipeline: (input) => app.createPipeline(input),
  };
}
