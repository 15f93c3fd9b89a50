// Artifact uploads are authorized before their body is read, then streamed to disk with a size limit.
// GitLab authorizes an upload first (`POST /jobs/:id/artifacts/authorize`, answered by Workhorse before
// the body: https://docs.gitlab.com/ee/development/uploads/) and refuses past `max_artifacts_size` with
// 413 "413 Request Entity Too Large" (lib/api/ci/runner.rb, `file_too_large!`).

import { readdirSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { FILL_BYTE, type PartialReply, partialRequest } from "../../test-support/partial-request.js";
import { connectRunner } from "../../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../../test-support/runner-seed.js";
import { startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: RUNNER_SEED, maxArtifactsBytes: 4 * 1024 * 1024 });
});
afterEach(() => server.close());

/** An upload (a zip body, declared or chunked) written piece by piece: see `partialRequest`. */
const partialUpload = (
  target: string,
  headers: Record<string, string>,
  sendBytes: number,
  declaredBytes?: number,
): Promise<PartialReply> =>
  partialRequest(`${server.url}${target}`, {
    headers: { "Content-Type": "application/zip", ...headers },
    sendBytes,
    ...(declaredBytes === undefined ? {} : { declaredBytes }),
  });

const incoming = () => {
  try {
    return readdirSync(server.store.artifacts.incomingDir);
  } catch {
    return [];
  }
};

describe("artifact uploads", () => {
  it("refuses a 90 MB upload with a wrong job token before reading its body", async () => {
    const r = await partialUpload("/api/v4/jobs/2/artifacts", { "JOB-TOKEN": "nope" }, 64 * 1024, 90e6);
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toEqual({ message: "403 Forbidden" });
    // Only the first piece was ever written: the answer did not wait for (or read) the other 89.9 MB.
    expect(r.sentWhenAnswered).toBeLessThan(1024 * 1024);
    expect(incoming()).toEqual([]);
  });

  it("refuses a declared size over the limit with 413 before reading it", async () => {
    const { client } = await connectRunner(server, T.docker);
    client.send({ type: "claim", requestId: "r" });
    const { job } = await client.nextOf("job");
    const r = await partialUpload(`/api/v4/jobs/${job.id}/artifacts`, { "JOB-TOKEN": job.token }, 0, 90e6);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ message: "413 Request Entity Too Large" });
  });

  it("stops a chunked upload at the limit with 413 and keeps no partial file", async () => {
    const { client } = await connectRunner(server, T.docker);
    client.send({ type: "claim", requestId: "r" });
    const { job } = await client.nextOf("job");
    const r = await partialUpload(
      `/api/v4/jobs/${job.id}/artifacts`,
      { "JOB-TOKEN": job.token },
      6 * 1024 * 1024,
    );
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ message: "413 Request Entity Too Large" });
    expect(incoming()).toEqual([]);
    expect(server.store.artifacts.get(job.id)).toBeUndefined();
  });

  it("streams an authorized 3 MiB chunked upload to disk and stores it intact", async () => {
    const { client } = await connectRunner(server, T.docker);
    client.send({ type: "claim", requestId: "r" });
    const { job } = await client.nextOf("job");
    const r = await partialUpload(
      `/api/v4/jobs/${job.id}/artifacts`,
      { "JOB-TOKEN": job.token },
      3 * 1024 * 1024,
    );
    expect(r.status).toBe(201);
    const stored = server.store.artifacts.read(job.id);
    expect(stored?.bytes.byteLength).toBe(3 * 1024 * 1024);
    expect(stored?.bytes.every((b) => b === FILL_BYTE)).toBe(true);
    expect(incoming()).toEqual([]);
  });
});
