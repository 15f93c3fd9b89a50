// Resource groups across pipelines, through the real server: the second pipeline's job waits for the
// first one's, the Resource groups API shows the group and who waits, and `process_mode` can be changed.
// https://docs.gitlab.com/ci/resource_groups/ and https://docs.gitlab.com/api/resource_groups/

import { createMemoryReader } from "@buildsim/ci-config";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { LOCAL_COMMIT, LOCAL_PROJECT } from "../../test-support/local-pipeline-fixtures.js";
import { startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({});
  server.store.transaction(() => server.store.projects.insert(LOCAL_PROJECT));
});
afterEach(() => server.close());

const createPipeline = () => {
  const created = server.app.createPipeline({
    project: LOCAL_PROJECT,
    commit: LOCAL_COMMIT,
    ref: "main",
    tag: false,
    beforeSha: null,
    source: "push",
    userId: null,
    variables: {},
    readFile: createMemoryReader({
      ".gitlab-ci.yml": "deploy:\n  resource_group: production\n  script: [x]\n",
    }),
  });
  if (!created.created) throw new Error(created.errors.join("\n"));
  return created.builds[0]!;
};

const api = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${server.url}/api/v4/projects/1${path}`, {
    ...init,
    headers: { "PRIVATE-TOKEN": server.token, "content-type": "application/json" },
  });
  return { status: res.status, body: (await res.json()) as unknown };
};

describe("resource groups across pipelines", () => {
  it("lets one pipeline's job hold the resource while the next pipeline's job waits, then hands it on", async () => {
    const first = createPipeline();
    const second = createPipeline();
    expect(server.store.builds.get(first.id)?.status).toBe("pending");
    expect(server.store.builds.get(second.id)?.status).toBe("waiting_for_resource");
    expect(server.store.pipelines.get(second.pipelineId)?.status).toBe("waiting_for_resource");

    const groups = await api("/resource_groups");
    expect(groups).toEqual({
      status: 200,
      body: [
        {
          id: 1,
          key: "production",
          process_mode: "unordered",
          created_at: expect.any(String),
          updated_at: expect.any(String),
        },
      ],
    });
    const upcoming = (await api("/resource_groups/production/upcoming_jobs")).body as Array<{ id: number }>;
    expect(upcoming.map((j) => j.id)).toEqual([second.id]);

    // The holder finishes: the waiting job gets the resource.
    server.app.actions.cancel(first.id);
    expect(server.store.builds.get(second.id)?.status).toBe("pending");
  });

  it("changes the process mode, and refuses an unknown one", async () => {
    createPipeline();
    const updated = await api("/resource_groups/production", {
      method: "PUT",
      body: JSON.stringify({ process_mode: "oldest_first" }),
    });
    expect(updated).toMatchObject({ status: 200, body: { key: "production", process_mode: "oldest_first" } });
    const refused = await api("/resource_groups/production", {
      method: "PUT",
      body: JSON.stringify({ process_mode: "fastest" }),
    });
    expect(refused).toEqual({ status: 400, body: { error: "process_mode does not have a valid value" } });
    expect((await api("/resource_groups/staging")).status).toBe(404);
  });
});
