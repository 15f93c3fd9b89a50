import { createMemoryReader } from "@buildsim/ci-config";
import type { Build } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServerEvents } from "../events/server-events.js";
import type { Store } from "../store/create-store.js";
import { LOCAL_COMMIT, LOCAL_PROJECT } from "../test-support/local-pipeline-fixtures.js";
import { createTestStore } from "../test-support/test-store.js";
import { createBuildTransitions } from "./build-transitions.js";
import { createPipelineCreator } from "./create-pipeline.js";

const project = LOCAL_PROJECT;
const commit = LOCAL_COMMIT;

let store: Store;
beforeEach(() => {
  store = createTestStore();
});
afterEach(() => store.close());

function setup(yaml: string) {
  let n = 0;
  const transitions = createBuildTransitions(store, new ServerEvents(), () => `t${++n}`);
  store.transaction(() => store.projects.insert(project));
  const result = createPipelineCreator({
    store,
    transitions,
    now: () => "2026-01-02T00:00:00.000Z",
    generateToken: () => `j${++n}`,
  })({
    project,
    commit,
    ref: "main",
    tag: false,
    beforeSha: null,
    source: "push",
    userId: null,
    variables: {},
    readFile: createMemoryReader({ ".gitlab-ci.yml": yaml }),
  });
  if (!result.created) throw new Error(result.errors.join("\n"));
  const pipelineId = result.pipeline.id;
  const latest = (name: string): Build =>
    store.builds.listByPipeline(pipelineId).filter((b) => b.name === name && !b.retried)[0]!;
  const fail = (name: string, reason: "script_failure" | "runner_system_failure" = "script_failure") =>
    store.transaction(() => {
      const running = transitions.fire(latest(name), {
        type: "run",
        at: "2026-01-02T00:00:01.000Z",
        runnerId: 1,
      });
      transitions.fire(running, { type: "drop", at: "2026-01-02T00:00:02.000Z", reason });
    });
  return { pipelineId, latest, fail, all: () => store.builds.listByPipeline(pipelineId) };
}

describe("retry: re-runs failed jobs automatically", () => {
  it("retries up to max, holding later stages, then lets the failure stand", () => {
    const p = setup(
      "flaky:\n  stage: build\n  retry: 2\n  script: [x]\nafter:\n  stage: test\n  script: [y]\n",
    );
    p.fail("flaky");
    expect(p.latest("flaky").status).toBe("pending");
    expect(p.latest("after").status).toBe("created");
    p.fail("flaky");
    expect(p.latest("flaky").status).toBe("pending");
    p.fail("flaky");
    expect(p.latest("flaky").status).toBe("failed");
    expect(p.latest("after").status).toBe("skipped");
    expect(p.all().filter((b) => b.name === "flaky")).toHaveLength(3);
    expect(store.pipelines.get(p.pipelineId)?.status).toBe("failed");
  });

  it("retries only for the failure reasons listed in retry:when", () => {
    const p = setup("job:\n  retry:\n    max: 2\n    when: [runner_system_failure]\n  script: [x]\n");
    p.fail("job", "script_failure");
    expect(p.latest("job").status).toBe("failed");
    expect(p.all()).toHaveLength(1);
  });

  it("never retries a job without retry:", () => {
    const p = setup("job:\n  script: [x]\n");
    p.fail("job");
    expect(p.all()).toHaveLength(1);
  });
});
