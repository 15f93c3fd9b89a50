// Helpers for trigger-job tests over the real server: create a pipeline of project 1 from in-memory files,
// find its builds, fire the events a runner's reports would, and let after-commit work run.

import { createMemoryReader } from "@buildsim/ci-config";
import type { Build, BuildEvent, Pipeline } from "@buildsim/core";
import type { RunningServer } from "../start-server.js";
import { LOCAL_COMMIT, LOCAL_PROJECT } from "./local-pipeline-fixtures.js";
import { api } from "./start-test-server.js";

/** The helpers, bound to one test server (whose store already has LOCAL_PROJECT). */
export function downstreamFixtures(server: () => RunningServer) {
  /** Creates a pipeline of project 1 from in-memory files, as `buildsim run` does. */
  function run(files: Record<string, string>, variables: Record<string, string> = {}): Pipeline {
    const result = server().app.createPipeline({
      project: LOCAL_PROJECT,
      commit: LOCAL_COMMIT,
      ref: "main",
      tag: false,
      beforeSha: null,
      source: "push",
      userId: null,
      variables,
      readFile: createMemoryReader(files),
    });
    if (!result.created) throw new Error(result.errors.join("\n"));
    return result.pipeline;
  }

  const builds = (pipelineId: number): Build[] => server().store.builds.listByPipeline(pipelineId);
  /** The latest (not retried) build `name` of a pipeline. */
  const named = (pipelineId: number, name: string): Build =>
    builds(pipelineId).find((b) => b.name === name && !b.retried)!;
  const pipelineStatus = (pipelineId: number) => server().store.pipelines.get(pipelineId)?.status;
  /** The downstream pipeline the latest bridge `name` of `pipelineId` created. */
  const downstreamOf = (pipelineId: number, name: string): Pipeline =>
    server().store.pipelines.downstreamOf(named(pipelineId, name).id)!;

  /** Fires events at a build as a runner's reports would. */
  function fire(build: Build, ...events: BuildEvent["type"][]): void {
    const { store, app } = server();
    store.transaction(() => {
      let current = store.builds.get(build.id)!;
      for (const type of events) {
        const at = app.now();
        const event = (type === "run" ? { type, at, runnerId: null } : { type, at }) as BuildEvent;
        current = app.transitions.fire(current, event);
      }
    });
  }

  /** Lets the server's after-commit work (downstream creation) run. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  /** An API call on project 1 with the admin token: its status and JSON body. */
  async function call(method: "GET" | "POST", path: string) {
    const res = await api(server(), `/api/v4/projects/1${path}`, { method, token: server().token });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  return { run, builds, named, pipelineStatus, downstreamOf, fire, settle, call };
}
