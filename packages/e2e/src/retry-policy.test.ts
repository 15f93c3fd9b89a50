import { createClient, type FetchFn } from "@buildsim/client";
import type { RunningServer } from "@buildsim/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ROOT_TOKEN, RUNNING_BUILD, startE2eServer } from "./e2e-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startE2eServer();
});
afterEach(async () => {
  await server.close();
});

// Real fetch to the real server, except that the first `failures` calls lose their answer: the request
// reaches the server (for POST) or not (for GET), but the caller sees a dropped connection.
function lossyFetch(failures: number, calls: string[]): FetchFn {
  let left = failures;
  return async (input, init) => {
    calls.push(`${init?.method ?? "GET"} ${new URL(input).pathname}`);
    if (left > 0) {
      left--;
      if (init?.method === "POST") await fetch(input, init);
      throw new TypeError("fetch failed");
    }
    return fetch(input, init);
  };
}

describe("the retry policy against the real server", () => {
  it("retries a GET whose connection dropped and returns the real answer", async () => {
    const calls: string[] = [];
    const client = createClient({
      baseUrl: server.url,
      token: ROOT_TOKEN,
      fetch: lossyFetch(2, calls),
      sleep: async () => {},
    });
    expect((await client.v3.builds.get(1, 1)).id).toBe(1);
    expect(calls).toEqual(Array(3).fill("GET /api/v3/projects/1/builds/1"));
  });

  it("never repeats a POST: a lost retry answer leaves exactly one new build", async () => {
    const calls: string[] = [];
    const client = createClient({
      baseUrl: server.url,
      token: ROOT_TOKEN,
      fetch: lossyFetch(1, calls),
      sleep: async () => {},
    });
    await expect(client.v3.builds.retry(1, 2)).rejects.toMatchObject({ code: "network" });
    expect(calls).toEqual(["POST /api/v3/projects/1/builds/2/retry"]);
    const builds = await client.v3.builds.list(1, { perPage: 100 }).toArray();
    expect(builds.filter((b) => b.id > RUNNING_BUILD).map((b) => b.name)).toEqual(["job-2"]);
  });
});
