// The board's watcher, as a client of a real server (port 0; SQLite in memory, or PostgreSQL in the suite's
// `postgres` project): events and traces over
// WebSocket, reads over HTTP. The test drives the builds in-process, as a runner's messages would.

import { createMemoryReader } from "@buildsim/ci-config";
import { createClient } from "@buildsim/client";
import { type RunningServer, startServer } from "@buildsim/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testDatabase } from "../../../../scripts/test-database.mjs";
import type { BoardState } from "./board.js";
import { watchPipeline } from "./pipeline-watcher.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startServer({ db: testDatabase("watch"), log: () => {} });
});
afterEach(() => server.close());

function createPipeline(yaml: string) {
  const project = server.local.registerProject({
    pathWithNamespace: "local/demo",
    name: "demo",
    sourceDir: "/tmp/demo",
    defaultBranch: "main",
    ownerId: server.adminUserId,
  });
  const result = server.local.createPipeline({
    project,
    commit: {
      projectId: project.id,
      sha: "c".repeat(40),
      message: "m",
      authorName: "a",
      authorEmail: "a@x",
      authoredDate: "2026-01-01T00:00:00.000Z",
      committerName: "a",
      committerEmail: "a@x",
      committedDate: "2026-01-01T00:00:00.000Z",
      parentIds: [],
    },
    ref: "main",
    tag: false,
    beforeSha: null,
    source: "push",
    userId: server.adminUserId,
    variables: {},
    readFile: createMemoryReader({ ".gitlab-ci.yml": yaml }),
  });
  if (!result.created) throw new Error(result.errors.join("\n"));
  return result;
}

const client = () => createClient({ baseUrl: server.url, token: server.token });

/** Resolves once `condition` holds (checked every 5 ms). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("watching a pipeline through the API", () => {
  it("reports statuses and whole log lines, and settles when nothing more can run", async () => {
    const { pipeline, builds } = createPipeline(
      "a:\n  script: [x]\nb:\n  stage: deploy\n  when: manual\n  script: [y]\n",
    );
    const { app } = server;
    const lines: string[] = [];
    const states: BoardState[] = [];
    const manual: string[] = [];
    const watch = watchPipeline({
      client: client(),
      projectId: pipeline.projectId,
      pipelineId: pipeline.id,
      onChange: (s) => states.push(s),
      onLine: (job, line) => lines.push(`${job}|${line}`),
      onManual: (b) => manual.push(b.name),
    });
    const a = builds.find((b) => b.name === "a")!;
    const running = app.store.transaction(() =>
      app.transitions.fire(a, { type: "run", at: app.now(), runnerId: 1 }),
    );
    // Changes arrive in separate turns of the event loop, as they do from a runner; the board sees the
    // job running before its log comes.
    await until(() => states.some((s) => s.jobs.some((j) => j.status === "running")));
    app.traces.appendTrace(a.id, 0, Buffer.from("hello\nwor"));
    app.traces.appendTrace(a.id, 9, Buffer.from("ld\r\nno newline"));
    app.store.transaction(() => app.transitions.fire(running, { type: "success", at: app.now() }));
    const final = await watch.done;
    expect(lines).toEqual(["a|hello", "a|world", "a|no newline"]);
    expect(manual).toEqual(["b"]);
    expect(final.status).toBe("success");
    expect(final.jobs.map((j) => `${j.name}:${j.status}`)).toEqual(["a:success", "b:manual"]);
    expect(states.some((s) => s.jobs.some((j) => j.status === "running"))).toBe(true);
  });

  it("settles at once on a pipeline that is already over", async () => {
    const { pipeline, builds } = createPipeline("a:\n  script: [x]\n");
    const { app } = server;
    app.store.transaction(() => app.transitions.fire(builds[0]!, { type: "cancel", at: app.now() }));
    const watch = watchPipeline({
      client: client(),
      projectId: pipeline.projectId,
      pipelineId: pipeline.id,
      onChange() {},
      onLine() {},
    });
    expect((await watch.done).status).toBe("canceled");
  });
});
