// A trigger job with `strategy: depend` or `mirror` follows its downstream pipeline over the real server
// (port 0, real SQLite): mirror's manual and skipped, and the bridge waiting again when the downstream
// pipeline or one of its jobs is retried or played (Ci::Pipeline#reset_source_bridge!).
// https://docs.gitlab.com/ci/yaml/#triggerstrategy and app/models/ci/bridge.rb

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { downstreamFixtures } from "../test-support/downstream-fixtures.js";
import { LOCAL_PROJECT } from "../test-support/local-pipeline-fixtures.js";
import { startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;

beforeEach(async () => {
  server = await startTestServer();
  server.store.transaction(() => server.store.projects.insert(LOCAL_PROJECT));
});
afterEach(() => server.close());

const { run, named, pipelineStatus, downstreamOf, fire, settle, call } = downstreamFixtures(() => server);

/** A parent whose bridge `child` triggers child.yml with `strategy`, and a job after it. */
const parentWith = (strategy: string, child: string) => ({
  ".gitlab-ci.yml": `child:\n  stage: build\n  trigger: { include: child.yml, strategy: ${strategy} }\nafter: { stage: test, script: x }\n`,
  "child.yml": child,
});

// Ci::Bridge#inherit_mirrored_status_from_downstream! against #inherit_dependent_status_from_downstream!.
describe("strategy: mirror against strategy: depend", () => {
  const BLOCKED = "gate:\n  script: x\n  when: manual\n  allow_failure: false\n";

  it("shows a manual bridge while the child waits on a blocking manual job; depend keeps waiting", async () => {
    const mirror = run(parentWith("mirror", BLOCKED));
    const depend = run(parentWith("depend", BLOCKED));
    await settle();
    expect(pipelineStatus(downstreamOf(mirror.id, "child").id)).toBe("manual");
    expect(named(mirror.id, "child").status).toBe("manual");
    // The parent is blocked too, instead of running forever.
    expect(pipelineStatus(mirror.id)).toBe("manual");
    expect(named(depend.id, "child").status).toBe("running");
    expect(pipelineStatus(depend.id)).toBe("running");
  });

  it("waits again when the child's manual job is played, and succeeds with the child", async () => {
    const parent = run(parentWith("mirror", BLOCKED));
    await settle();
    const child = downstreamOf(parent.id, "child");
    // A bridge manual by mirroring is not playable itself: it has no `when: manual` (Ci::Bridge#action?).
    expect(await call("POST", `/jobs/${named(parent.id, "child").id}/play`)).toEqual({
      status: 400,
      body: { message: "400 Bad request - Unplayable Job" },
    });
    const played = await call("POST", `/jobs/${named(child.id, "gate").id}/play`);
    expect(played.status).toBe(200);
    expect(named(parent.id, "child").status).toBe("pending");
    fire(named(child.id, "gate"), "run", "success");
    expect(named(parent.id, "child").status).toBe("success");
    expect(named(parent.id, "after").status).toBe("pending");
  });

  it("skips the bridge with a skipped child under mirror, and fails it under depend", async () => {
    const skippedChild = "only-on-failure:\n  script: x\n  when: on_failure\n";
    const mirror = run(parentWith("mirror", skippedChild));
    const depend = run(parentWith("depend", skippedChild));
    await settle();
    expect(pipelineStatus(downstreamOf(mirror.id, "child").id)).toBe("skipped");
    expect(named(mirror.id, "child").status).toBe("skipped");
    expect(named(depend.id, "child")).toMatchObject({ status: "failed", failureReason: "unknown_failure" });
  });

  it("fails and cancels like depend", async () => {
    const failing = run(parentWith("mirror", "t: { script: x }\n"));
    const canceling = run(parentWith("mirror", "t: { script: x }\n"));
    await settle();
    fire(named(downstreamOf(failing.id, "child").id, "t"), "run", "drop");
    fire(named(downstreamOf(canceling.id, "child").id, "t"), "cancel");
    expect(named(failing.id, "child")).toMatchObject({ status: "failed", failureReason: "unknown_failure" });
    expect(named(failing.id, "after").status).toBe("skipped");
    expect(named(canceling.id, "child").status).toBe("canceled");
  });
});

// Ci::RetryJobService / RetryPipelineService → reset_source_bridge!: EnqueueJobService(bridge).pending!
// and ResetSkippedJobsService re-open the bridge and the jobs after it, up the pipeline tree.
describe("retrying in a downstream pipeline re-opens the bridge that follows it", () => {
  it("re-opens a depend bridge and the jobs after it when a child job is retried", async () => {
    const parent = run(parentWith("depend", "t: { script: x }\n"));
    await settle();
    const child = downstreamOf(parent.id, "child");
    fire(named(child.id, "t"), "run", "drop");
    expect(pipelineStatus(parent.id)).toBe("failed");
    expect(named(parent.id, "after").status).toBe("skipped");

    const retried = await call("POST", `/jobs/${named(child.id, "t").id}/retry`);
    expect(retried.status).toBe(201);
    expect(named(parent.id, "child")).toMatchObject({
      status: "pending",
      failureReason: null,
      finishedAt: null,
    });
    expect(named(parent.id, "after").status).toBe("created");
    // A pending bridge and a created job: Gitlab::Ci::Status::Composite says pending.
    expect(pipelineStatus(parent.id)).toBe("pending");

    fire(named(child.id, "t"), "run", "success");
    expect(pipelineStatus(child.id)).toBe("success");
    expect(named(parent.id, "child").status).toBe("success");
    expect(named(parent.id, "after").status).toBe("pending");
  });

  it("re-opens it when the child pipeline is retried, and fails it again if the retry fails", async () => {
    const parent = run(parentWith("depend", "t: { script: x }\n"));
    await settle();
    const child = downstreamOf(parent.id, "child");
    fire(named(child.id, "t"), "run", "drop");
    expect((await call("POST", `/pipelines/${child.id}/retry`)).status).toBe(201);
    expect(named(parent.id, "child").status).toBe("pending");
    fire(named(child.id, "t"), "run", "drop");
    expect(named(parent.id, "child")).toMatchObject({ status: "failed", failureReason: "unknown_failure" });
    expect(pipelineStatus(parent.id)).toBe("failed");
  });

  it("re-opens every bridge up to the top when a grandchild job is retried", async () => {
    const parent = run({
      ".gitlab-ci.yml": "mid:\n  trigger: { include: mid.yml, strategy: depend }\n",
      "mid.yml": "leaf:\n  trigger: { include: leaf.yml, strategy: mirror }\n",
      "leaf.yml": "t: { script: x }\n",
    });
    await settle();
    const mid = downstreamOf(parent.id, "mid");
    const leaf = downstreamOf(mid.id, "leaf");
    fire(named(leaf.id, "t"), "run", "drop");
    expect([named(mid.id, "leaf").status, named(parent.id, "mid").status]).toEqual(["failed", "failed"]);
    expect((await call("POST", `/jobs/${named(leaf.id, "t").id}/retry`)).status).toBe(201);
    expect([named(mid.id, "leaf").status, named(parent.id, "mid").status]).toEqual(["pending", "pending"]);
    fire(named(leaf.id, "t"), "run", "success");
    expect([pipelineStatus(mid.id), pipelineStatus(parent.id)]).toEqual(["success", "success"]);
  });

  it("leaves a bridge without a strategy as it was: it succeeded when the child was created", async () => {
    const parent = run({
      ".gitlab-ci.yml": "child:\n  trigger: { include: child.yml }\n",
      "child.yml": "t: { script: x }\n",
    });
    await settle();
    const child = downstreamOf(parent.id, "child");
    fire(named(child.id, "t"), "run", "drop");
    expect((await call("POST", `/jobs/${named(child.id, "t").id}/retry`)).status).toBe(201);
    expect(named(parent.id, "child").status).toBe("success");
  });
});
