import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { createIncludeFetcher } from "./include-fetcher.js";
import { createMemoryReader } from "./lint-ci-config.js";
import { loadCiConfigAsync } from "./resolve-includes.js";

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = null;
});

/** A web server that accepts requests and never answers them. */
async function silentServer(): Promise<string> {
  server = createServer(() => {});
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

it("gives up on a remote include that never answers with GitLab's timeout message, never hanging", async () => {
  // GitLab: "Remote file `…` could not be fetched because of a timeout error!" (External::File::Remote).
  const url = `${await silentServer()}/ci.yml`;
  const fetcher = createIncludeFetcher({ requestTimeoutMs: 200 });
  const started = Date.now();
  const result = await loadCiConfigAsync(
    { readFile: createMemoryReader({ ".gitlab-ci.yml": `include: ${url}\n` }) },
    fetcher,
  );
  expect(result.problems.map((p) => p.message)).toEqual([
    `Remote file \`${url}\` could not be fetched because of a timeout error!`,
  ]);
  expect(Date.now() - started).toBeLessThan(5000);
});

it("fetches each missing file once per round and all of a file's includes together", async () => {
  const asked: string[] = [];
  const fetcher = createIncludeFetcher({
    fetch: async (input) => {
      asked.push(String(input));
      const name = new URL(String(input)).pathname;
      const body =
        name === "/a.yml"
          ? "include: [http://h.test/b.yml, http://h.test/c.yml]\na: {script: x}\n"
          : `${name.slice(1, 2)}: {script: x}\n`;
      return new Response(body);
    },
  });
  const result = await loadCiConfigAsync(
    { readFile: createMemoryReader({ ".gitlab-ci.yml": "include: http://h.test/a.yml\n" }) },
    fetcher,
  );
  expect(result.problems).toEqual([]);
  expect(result.config?.jobs.map((j) => j.name)).toEqual(["b", "c", "a"]);
  expect(asked).toEqual(["http://h.test/a.yml", "http://h.test/b.yml", "http://h.test/c.yml"]);
});
