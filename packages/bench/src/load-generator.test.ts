import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runLoad } from "./load-generator.js";

const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(() => Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r)))));

function serve(status: number, body: string): Promise<number> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  });
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

describe("runLoad", () => {
  it("counts complete responses over keep-alive connections", async () => {
    const seen: string[] = [];
    const port = await serve(200, "x".repeat(5000));
    servers[0]!.on("request", (req) => seen.push(String(req.headers["private-token"])));
    const result = await runLoad({
      host: "127.0.0.1",
      port,
      path: "/",
      headers: { "PRIVATE-TOKEN": "t" },
      connections: 4,
      durationMs: 200,
    });
    expect(result.requests).toBeGreaterThan(0);
    expect(result.requests).toBe(seen.length);
    expect(result.bytes).toBeGreaterThan(result.requests * 5000);
    expect(result.errors).toBe(0);
    expect(result.non200).toBe(0);
    expect(new Set(seen)).toEqual(new Set(["t"]));
  });

  it("reports responses that are not 200", async () => {
    const port = await serve(404, "{}");
    const result = await runLoad({
      host: "127.0.0.1",
      port,
      path: "/",
      headers: {},
      connections: 1,
      durationMs: 50,
    });
    expect(result.non200).toBe(result.requests);
    expect(result.requests).toBeGreaterThan(0);
  });
});
