import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "./create-client.js";
import { startTestServer, type TestServer } from "./test-support/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("createClient", () => {
  it("routes v3 and v4 calls through one transport with the same token and injected fetch", async () => {
    server = await startTestServer({ http: () => ({ status: 200, body: { id: 1, version: "x" } }) });
    const seen: string[] = [];
    const client = createClient({
      baseUrl: server.url,
      token: "tok",
      headers: { Sudo: "root" },
      fetch: (input, init) => {
        seen.push(input);
        return fetch(input, init);
      },
    });
    await client.v3.builds.get(1, 2);
    await client.v4.jobs.get(1, 2);
    await client.v4.version();
    expect(seen).toEqual([
      `${server.url}/api/v3/projects/1/builds/2`,
      `${server.url}/api/v4/projects/1/jobs/2`,
      `${server.url}/api/v4/version`,
    ]);
    for (const request of server.requests) {
      expect(request.headers["private-token"]).toBe("tok");
      expect(request.headers.sudo).toBe("root");
    }
  });
});
