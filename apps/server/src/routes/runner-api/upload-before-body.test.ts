// Artifact uploads are authorized before their body is read, then streamed to disk with a size limit.
// GitLab authorizes an upload first (`POST /jobs/:id/artifacts/authorize`, answered by Workhorse before
// the body: https://docs.gitlab.com/ee/development/uploads/) and refuses past `max_artifacts_size` with
// 413 "413 Request Entity Too Large" (lib/api/ci/runner.rb, `file_too_large!`).

import { readdirSync } from "node:fs";
import { request } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { connectRunner } from "../../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../../test-support/runner-seed.js";
import { startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: RUNNER_SEED, maxArtifactsBytes: 4 * 1024 * 1024 });
});
afterEach(() => server.close());

/**
 * Starts an upload declaring `declaredBytes` (or chunked when undefined), writes `sendBytes` of it in
 * 64 KiB pieces and resolves with the answer and how much had been written when it came.
 */
function partialUpload(
  target: string,
  headers: Record<string, string>,
  sendBytes: number,
  declaredBytes?: number,
): Promise<{ status: number; body: string; sentWhenAnswered: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request(`${server.url}${target}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/zip",
        ...(declaredBytes === undefined ? {} : { "Content-Length": String(declaredBytes) }),
        ...headers,
      },
    });
    req.on("response", (res) => {
      const sentWhenAnswered = sent;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), sentWhenAnswered });
        req.destroy();
      });
    });
    req.on("error", (e) => {
      if (!req.destroyed) reject(e);
    });
    const piece = Buffer.alloc(64 * 1024, 7);
    const pump = () => {
      while (sent < sendBytes) {
        sent += piece.byteLength;
        if (!req.write(piece)) {
          req.once("drain", pump);
          return;
        }
      }
      if (declaredBytes === undefined || sendBytes >= declaredBytes) req.end();
    };
    req.flushHeaders();
    pump();
  });
}

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
    expect(stored?.bytes.every((b) => b === 7)).toBe(true);
    expect(incoming()).toEqual([]);
  });
});
