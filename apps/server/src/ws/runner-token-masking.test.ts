// The token of the runner running a build is a secret of its trace, like the job token and the
// project's runners token (GitLab's `Ci::Build#hide_secrets` masks the tokens the job could print;
// GitLab Runner masks its own token in the job log). Both the trace endpoint and watchers mask it.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { b64, connectRunner, connectWatcher } from "../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../test-support/runner-seed.js";
import { api, startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: RUNNER_SEED });
});
afterEach(() => server.close());

const masked = `runner=${"x".repeat(T.shared.length)}\n`;

describe("the runner's own token in a trace", () => {
  it("is masked for a watcher that joined before the runner claimed the build, and in GET …/trace", async () => {
    const w = await connectWatcher(server, { project: 1, build: 2, token: T.admin });
    await w.nextOf("status");
    const { client } = await connectRunner(server, T.shared);
    client.send({ type: "claim", requestId: "r" });
    await client.nextOf("job");
    client.send({ type: "trace", buildId: 2, offset: 0, data: b64(`runner=${T.shared}\n`) });
    await client.nextOf("traceAck");
    const chunk = await w.nextOf("chunk", ["status"]);
    expect(Buffer.from(chunk.data, "base64").toString()).toBe(masked);
    for (const path of ["/api/v3/projects/1/builds/2/trace", "/api/v4/projects/1/jobs/2/trace"]) {
      const res = await api(server, path, { token: T.admin });
      expect(await res.text()).toBe(masked);
    }
  });

  it("is masked for a late watcher of the finished build", async () => {
    const { client } = await connectRunner(server, T.shared);
    client.send({ type: "claim", requestId: "r" });
    await client.nextOf("job");
    client.send({ type: "trace", buildId: 2, offset: 0, data: b64(`runner=${T.shared}\n`) });
    await client.nextOf("traceAck");
    client.send({ type: "finish", buildId: 2, state: "success", exitCode: 0, traceBytes: masked.length });
    await client.nextOf("finishAck");
    const w = await connectWatcher(server, { project: 1, build: 2, token: T.admin });
    const chunk = await w.nextOf("chunk");
    expect(Buffer.from(chunk.data, "base64").toString()).toBe(masked);
  });
});
