// createNodeHttpFetch against a real node:http server on port 0.

import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createNodeHttpFetch } from "./node-http-fetch.js";

let server: http.Server | null = null;

async function serve(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const open = server;
  server = null;
  if (!open) return;
  open.closeAllConnections();
  await new Promise((resolve) => open.close(resolve));
});

describe("createNodeHttpFetch", () => {
  it("sends the method, headers and body and returns the answer's status and bytes", async () => {
    const base = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        res.writeHead(201, "Created", { "Content-Type": "application/json" });
        res.end(
          JSON.stringify({
            method: req.method,
            url: req.url,
            token: req.headers["job-token"],
            length: req.headers["content-length"],
            body: Buffer.concat(chunks).toString(),
          }),
        );
      });
    });
    const fetchFn = createNodeHttpFetch();
    const response = await fetchFn(`${base}/api/v4/jobs/7/artifacts?expire_in=1%20day`, {
      method: "POST",
      headers: { "JOB-TOKEN": "tok" },
      body: new Uint8Array(Buffer.from("zip bytes")),
    });
    expect(response).toMatchObject({ ok: true, status: 201, statusText: "Created" });
    expect(JSON.parse(Buffer.from(await response.arrayBuffer()).toString())).toEqual({
      method: "POST",
      url: "/api/v4/jobs/7/artifacts?expire_in=1%20day",
      token: "tok",
      length: "9",
      body: "zip bytes",
    });
  });

  it("sends a JSON text body and reads the answer's headers and text, as the API client does", async () => {
    const base = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        res.writeHead(200, { "Content-Type": "application/json", "X-Total": "3" });
        res.end(
          JSON.stringify({ length: req.headers["content-length"], body: Buffer.concat(chunks).toString() }),
        );
      });
    });
    const response = await createNodeHttpFetch()(`${base}/api/v4/projects/1/jobs/2/play`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"é":1}',
    });
    expect(response.headers.get("x-total")).toBe("3");
    expect(response.headers.get("Content-Type")).toBe("application/json");
    expect(response.headers.get("link")).toBeNull();
    // Content-Length counts bytes, not characters.
    expect(JSON.parse(await response.text())).toEqual({ length: "8", body: '{"é":1}' });
  });

  it("reports an error status as not ok, with the body intact", async () => {
    const base = await serve((_req, res) => {
      res.writeHead(404, "Not Found");
      res.end('{"message":"404 Not found"}');
    });
    const response = await createNodeHttpFetch()(`${base}/x`, { headers: {} });
    expect(response).toMatchObject({ ok: false, status: 404, statusText: "Not Found" });
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('{"message":"404 Not found"}');
  });

  it("rejects when the signal aborts a request the server never answers", async () => {
    const base = await serve(() => {});
    const abort = new AbortController();
    const pending = createNodeHttpFetch()(`${base}/slow`, { headers: {}, signal: abort.signal });
    abort.abort();
    await expect(pending).rejects.toThrow(/abort/i);
  });

  it("rejects a URL that is not http:", async () => {
    await expect(createNodeHttpFetch()("https://example.com/x", { headers: {} })).rejects.toThrow(
      "createNodeHttpFetch handles http: URLs only, not https:",
    );
  });
});
