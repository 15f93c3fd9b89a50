// A claim whose transaction fails still gets an answer. On PostgreSQL the claims of several servers can
// keep conflicting past the store's retries (a serialization failure each time); the runner waits for an
// answer to each claim before it claims again, so without one it sat idle until it reconnected. GitLab's
// runner likewise just asks again when a job request fails (`POST /jobs/request` answering 409 or 5xx).

import { afterEach, beforeEach, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { connectRunner } from "../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../test-support/runner-seed.js";
import { startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: RUNNER_SEED, realtime: { sweepIntervalMs: 2 ** 30 } });
});
afterEach(() => server.close());

it("answers a claim whose batch failed with INTERNAL and noJob, and the runner's next claim gets the build", async () => {
  const { client } = await connectRunner(server, T.docker);
  // The claim batch's transaction fails once, as a conflict that outlasted the retries would.
  const store = server.store;
  const transaction = store.transaction.bind(store);
  let failures = 1;
  store.transaction = ((fn: () => unknown) => {
    if (failures-- > 0) throw new Error("could not serialize access (simulated)");
    return transaction(fn);
  }) as typeof store.transaction;

  client.send({ type: "claim", requestId: "first" });
  expect(await client.nextOf("error")).toMatchObject({ code: "INTERNAL" });
  expect(await client.nextOf("noJob")).toEqual({ type: "noJob", requestId: "first" });
  expect(store.builds.get(1)?.status).toBe("pending");

  client.send({ type: "claim", requestId: "second" });
  expect((await client.nextOf("job")).job.id).toBe(1);
});
