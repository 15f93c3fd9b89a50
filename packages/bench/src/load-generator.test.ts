import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runLoad, seededRandom } from "./load-generator.js";

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
    expect(result.non2xx).toBe(0);
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
    expect(result.non2xx).toBe(result.requests);
    expect(result.requests).toBeGreaterThan(0);
  });

  it("sends the mix's writes at about the asked fraction and times every response", async () => {
    const seen: string[] = [];
    const port = await serve(201, "{}");
    servers[0]!.on("request", (req) => seen.push(`${req.method} ${req.url}`));
    const result = await runLoad({
      host: "127.0.0.1",
      port,
      path: "/",
      headers: {},
      connections: 4,
      durationMs: 1000,
      mix: {
        reads: [
          { method: "GET", path: "/a" },
          { method: "GET", path: "/b" },
        ],
        writes: [{ method: "POST", path: "/w" }],
        writeFraction: 0.25,
        seed: 42,
      },
    });
    const posts = seen.filter((s) => s === "POST /w").length;
    expect(result.requests).toBe(seen.length);
    expect(result.writes).toBe(posts);
    // The fraction only means something over enough requests (a loaded machine may send few).
    if (seen.length >= 200) {
      expect(posts / seen.length).toBeGreaterThan(0.15);
      expect(posts / seen.length).toBeLessThan(0.35);
    }
    if (seen.length >= 50) expect(new Set(seen)).toEqual(new Set(["GET /a", "GET /b", "POST /w"]));
    expect(result.non2xx).toBe(0);
    expect(result.p50Ms).toBeGreaterThan(0);
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
  });
});

describe("seededRandom", () => {
  it("repeats the same sequence for the same seed, so every server sees the same requests", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});
