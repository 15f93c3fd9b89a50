import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ClientError } from "./client-error.js";
import { createHttpTransport } from "./http-transport.js";
import { type HttpHandler, startTestServer, type TestServer } from "./test-support/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: HttpHandler): Promise<TestServer> {
  server = await startTestServer({ http: handler });
  return server;
}

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a ClientError");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientError);
  return error as ClientError;
}

// A port nothing listens on: bind one, remember it, release it.
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe("createHttpTransport", () => {
  it("sends the token as PRIVATE-TOKEN and parses JSON", async () => {
    const { url, requests } = await serve(() => ({ status: 200, body: { version: "8.17.0" } }));
    const transport = createHttpTransport({ baseUrl: `${url}/`, token: "secret" });
    const response = await transport.request<{ version: string }>({ method: "GET", path: "/api/v4/version" });
    expect(response.data).toEqual({ version: "8.17.0" });
    expect(requests[0]?.url).toBe("/api/v4/version");
    expect(requests[0]?.headers["private-token"]).toBe("secret");
  });

  it("sends `{}` as a JSON body on POST, as GitLab's clients do", async () => {
    const { url, requests } = await serve(() => ({ status: 201, body: { id: 1 } }));
    await createHttpTransport({ baseUrl: url }).request({ method: "POST", path: "/api/v4/x" });
    expect(requests[0]?.body).toBe("{}");
    expect(requests[0]?.headers["content-type"]).toBe("application/json");
  });

  it("turns a 404 into a not_found ClientError with GitLab's message", async () => {
    const { url } = await serve(() => ({ status: 404, body: { message: "404 Project Not Found" } }));
    const error = await failure(createHttpTransport({ baseUrl: url }).request({ method: "GET", path: "/p" }));
    expect(error).toMatchObject({
      code: "not_found",
      status: 404,
      message: "404 Project Not Found",
      method: "GET",
    });
  });

  it("uses the raw body as the message when the error is not JSON", async () => {
    const { url } = await serve(() => ({
      status: 502,
      headers: { "content-type": "text/plain" },
      body: "upstream down",
    }));
    const transport = createHttpTransport({ baseUrl: url, retry: false });
    const error = await failure(transport.request({ method: "GET", path: "/p" }));
    expect(error).toMatchObject({ code: "server_error", status: 502, message: "upstream down" });
  });

  it("wraps a refused connection as a network error with its cause", async () => {
    const transport = createHttpTransport({ baseUrl: await closedPortUrl(), retry: false });
    const error = await failure(transport.request({ method: "GET", path: "/p" }));
    expect(error.code).toBe("network");
    expect(error.status).toBeNull();
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("gives up with a timeout error when the server does not answer in time", async () => {
    let release: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { url } = await serve(async () => {
      await answered;
      return { status: 200, body: {} };
    });
    const transport = createHttpTransport({ baseUrl: url, timeoutMs: 20, retry: false });
    const error = await failure(transport.request({ method: "GET", path: "/slow" }));
    release();
    expect(error.code).toBe("timeout");
  });

  it("retries a GET after 503 and 502 with growing delays, then succeeds", async () => {
    const answers = [503, 502, 200];
    const { url, requests } = await serve(() => {
      const status = answers.shift()!;
      return status === 200 ? { status, body: { ok: true } } : { status, body: { message: `${status}` } };
    });
    const { delays, sleep } = recordingSleep();
    const transport = createHttpTransport({ baseUrl: url, sleep, retry: { baseDelayMs: 100 } });
    const response = await transport.request<{ ok: boolean }>({ method: "GET", path: "/flaky" });
    expect(response.data).toEqual({ ok: true });
    expect(requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(200);
  });

  it("waits as long as Retry-After says on 429", async () => {
    const answers = [429, 200];
    const { url } = await serve(() => {
      const status = answers.shift()!;
      return status === 429
        ? { status, headers: { "retry-after": "2" }, body: { message: "429 Too Many Requests" } }
        : { status, body: [] };
    });
    const { delays, sleep } = recordingSleep();
    await createHttpTransport({ baseUrl: url, sleep }).request({ method: "GET", path: "/limited" });
    expect(delays).toEqual([2000]);
  });

  it("retries a GET whose connection drops, then reports network after maxRetries", async () => {
    const { url, requests } = await serve(() => ({ destroy: true }));
    const { delays, sleep } = recordingSleep();
    const transport = createHttpTransport({ baseUrl: url, sleep, retry: { maxRetries: 2 } });
    const error = await failure(transport.request({ method: "GET", path: "/drop" }));
    expect(error.code).toBe("network");
    expect(requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it("never retries a POST, not on 503 and not on a dropped connection", async () => {
    const { url, requests } = await serve((request) =>
      request.url === "/drop"
        ? { destroy: true }
        : { status: 503, body: { message: "503 Service Unavailable" } },
    );
    const { delays, sleep } = recordingSleep();
    const transport = createHttpTransport({ baseUrl: url, sleep });
    expect((await failure(transport.request({ method: "POST", path: "/busy" }))).code).toBe("server_error");
    expect((await failure(transport.request({ method: "POST", path: "/drop" }))).code).toBe("network");
    expect((await failure(transport.request({ method: "DELETE", path: "/busy" }))).code).toBe("server_error");
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /busy", "POST /drop", "DELETE /busy"]);
    expect(delays).toEqual([]);
  });

  it("does not retry a 404", async () => {
    const { url, requests } = await serve(() => ({ status: 404, body: { message: "404 Not Found" } }));
    await failure(createHttpTransport({ baseUrl: url }).request({ method: "GET", path: "/gone" }));
    expect(requests).toHaveLength(1);
  });

  it("reports a 2xx body that is not JSON as invalid_response", async () => {
    const { url } = await serve(() => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: "<html>",
    }));
    const error = await failure(
      createHttpTransport({ baseUrl: url }).request({ method: "GET", path: "/html" }),
    );
    expect(error).toMatchObject({ code: "invalid_response", status: 200, body: "<html>" });
  });

  it("returns raw bytes and text untouched", async () => {
    const bytes = new Uint8Array([0, 255, 10, 27, 91]);
    const { url } = await serve((r) => ({ status: 200, body: r.url === "/bin" ? bytes : "héllo\n" }));
    const transport = createHttpTransport({ baseUrl: url });
    const bin = await transport.request<Uint8Array>({ method: "GET", path: "/bin", responseType: "bytes" });
    expect([...bin.data]).toEqual([...bytes]);
    const text = await transport.request<string>({ method: "GET", path: "/txt", responseType: "text" });
    expect(text.data).toBe("héllo\n");
  });

  it("rejects with aborted when the caller's signal fires", async () => {
    const { url } = await serve(() => new Promise<never>(() => {}));
    const controller = new AbortController();
    const pending = createHttpTransport({ baseUrl: url }).request({
      method: "GET",
      path: "/hang",
      signal: controller.signal,
    });
    controller.abort(new Error("user gave up"));
    const error = await failure(pending);
    expect(error.code).toBe("aborted");
    expect(error.cause).toEqual(new Error("user gave up"));
  });

  it("rebases an absolute Link URL on the configured origin so the token never leaves it", async () => {
    const { url, requests } = await serve(() => ({ status: 200, body: [] }));
    await createHttpTransport({ baseUrl: url }).request({
      method: "GET",
      path: "https://elsewhere.example/api/v4/projects/1/jobs?page=2&scope%5B%5D=failed",
    });
    expect(requests[0]?.url).toBe("/api/v4/projects/1/jobs?page=2&scope%5B%5D=failed");
  });
});
