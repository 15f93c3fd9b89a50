// A small HTTP peer for the Jobs API's artifact endpoints: stores uploads, serves downloads, checks tokens.

import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ArtifactUpload {
  jobId: number;
  jobToken: string | undefined;
  contentType: string | undefined;
  expireIn: string | null;
  /** `artifact_type` (absent for the archive). */
  artifactType: string | null;
  body: Buffer;
}

export interface ArtifactServer {
  url: string;
  uploads: ArtifactUpload[];
  /** Archives served by `GET /api/v4/jobs/:id/artifacts`, with the token that must come with them. */
  archives: Map<number, { token: string; body: Uint8Array }>;
  handle(request: IncomingMessage, response: ServerResponse): void;
  close(): Promise<void>;
}

const json = (response: ServerResponse, status: number, body: unknown) =>
  response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));

/** Starts the artifact peer on port 0 (or use `handle` inside another server). */
export async function startArtifactServer(): Promise<ArtifactServer> {
  const uploads: ArtifactUpload[] = [];
  const archives = new Map<number, { token: string; body: Uint8Array }>();
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const match = /^\/api\/v4\/jobs\/(\d+)\/artifacts$/.exec(url.pathname);
    if (!match) return json(response, 404, { message: "404 Not Found" });
    const jobId = Number(match[1]);
    const token = request.headers["job-token"] as string | undefined;
    if (request.method === "GET") {
      const archive = archives.get(jobId);
      if (!archive) return json(response, 404, { message: "404 Not Found" });
      if (archive.token !== token) return json(response, 403, { message: "403 Forbidden" });
      return response.writeHead(200, { "Content-Type": "application/zip" }).end(Buffer.from(archive.body));
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      uploads.push({
        jobId,
        jobToken: token,
        contentType: request.headers["content-type"],
        expireIn: url.searchParams.get("expire_in"),
        artifactType: url.searchParams.get("artifact_type"),
        body,
      });
      json(response, 201, { id: jobId });
    });
  };
  const server = createServer(handle);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    uploads,
    archives,
    handle,
    async close() {
      server.close();
      await once(server, "close");
    },
  };
}
