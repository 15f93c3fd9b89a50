// Fault rules set through buildsim's admin API (/-/buildsim/admin/faults) against real clients, which must
// react as they do to GitLab.com: python-gitlab waits out a 429's Retry-After and retries transient 5xx
// with `retry_transient_errors=True`; @gitbeaker/rest 43.8 retries 429 and 502 on its own schedule and
// surfaces every other failure as an error. The server's journal shows what each client sent, and when.

import { GitbeakerRequestError, GitbeakerRetryError, Gitlab } from "@gitbeaker/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runPythonGitlab } from "./run-python-gitlab.js";
import { type FixtureServer, JOBS, startFixtureServer, TOKENS } from "./start-fixture-server.js";

let server: FixtureServer;
beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(() => server.close());

interface Entry {
  method: string;
  path: string;
  status: number;
  startedAt: string;
  fault?: string;
}

/** Calls the admin API as the fixture's admin. */
async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}/-/buildsim/admin/${path}`, {
    method,
    headers: { "PRIVATE-TOKEN": TOKENS.root, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function addFault(rule: unknown): Promise<void> {
  const res = await admin("POST", "faults", rule);
  expect(res.status, await res.clone().text()).toBe(201);
}

/** The journaled requests for `path` (the admin API's own are never journaled). */
async function journal(path: string): Promise<Entry[]> {
  const res = await admin("POST", "requests/find", { path });
  return ((await res.json()) as { requests: Entry[] }).requests;
}

const jobPath = `/api/v4/projects/1/jobs/${JOBS.failed}`;
interface Transient {
  job: { id: number; status: string; name: string } | null;
  error: { class: string; response_code: number; error_message: string } | null;
}
const transient = (args: Record<string, unknown>) =>
  runPythonGitlab<Transient>({ url: server.url, token: TOKENS.root }, "transient", {
    job_id: JOBS.failed,
    ...args,
  });

describe("python-gitlab", () => {
  // python-gitlab sleeps for Retry-After on a 429 (obey_rate_limit, on by default) and retries
  // (gitlab/client.py, http_request); GitLab.com sends Retry-After with its 429s
  // (doc/administration/settings/user_and_ip_rate_limits.md, "Response headers").
  it("retries a 429 after waiting out its Retry-After, with retry_transient_errors=True", async () => {
    await addFault({
      match: { method: "GET", path: jobPath },
      times: 1,
      effect: { type: "rate-limit", retryAfterSeconds: 1 },
    });
    const { result } = await transient({ retry_transient_errors: true });
    expect(result.error).toBeNull();
    expect(result.job).toMatchObject({ id: JOBS.failed, status: "failed" });
    const [limited, served, ...rest] = await journal(jobPath);
    expect(rest).toEqual([]);
    expect(limited).toMatchObject({ status: 429, fault: "fault-1" });
    expect(served).toMatchObject({ status: 200 });
    expect(served!.fault).toBeUndefined();
    expect(Date.parse(served!.startedAt) - Date.parse(limited!.startedAt)).toBeGreaterThanOrEqual(1000);
  });

  it("retries Workhorse's 502 with retry_transient_errors=True, and raises it without", async () => {
    await addFault({ match: { path: jobPath }, times: 2, effect: { type: "error", status: 502 } });
    const retried = await transient({ retry_transient_errors: true });
    expect(retried.result.job).toMatchObject({ id: JOBS.failed, status: "failed" });
    expect((await journal(jobPath)).map((e) => e.status)).toEqual([502, 502, 200]);

    await addFault({ match: { path: jobPath }, times: 1, effect: { type: "error", status: 502 } });
    const raised = await transient({ retry_transient_errors: false });
    expect(raised.result.job).toBeNull();
    expect(raised.result.error).toMatchObject({
      class: "GitlabGetError",
      response_code: 502,
      error_message: "GitLab is not responding",
    });
  });
});

describe("@gitbeaker/rest", () => {
  const api = () => new Gitlab({ host: server.url, token: TOKENS.root });

  it("surfaces GitLab's 500 as a GitbeakerRequestError with its message", async () => {
    await addFault({ match: { path: jobPath }, times: 1, effect: { type: "error", status: 500 } });
    const error = await api()
      .Jobs.show(1, JOBS.failed)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitbeakerRequestError);
    expect((error as GitbeakerRequestError).message).toBe("500 Internal Server Error");
    expect((error as GitbeakerRequestError).cause?.response.status).toBe(500);
  });

  it("retries a 429 ten times on its own schedule, then gives up with a GitbeakerRetryError", async () => {
    // gitbeaker's requester retries 429 and 502 (retryCodes) up to 10 times and ignores Retry-After.
    await addFault({ match: { path: jobPath }, effect: { type: "rate-limit", retryAfterSeconds: 30 } });
    const error = await api()
      .Jobs.show(1, JOBS.failed)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitbeakerRetryError);
    expect((error as Error).message).toMatch(/after 10 retries, last status code: 429/);
    const entries = await journal(jobPath);
    expect(entries).toHaveLength(10);
    expect(new Set(entries.map((e) => e.status))).toEqual(new Set([429]));
  });

  it("surfaces a connection reset and a truncated body as errors, and gets through once the rule is spent", async () => {
    await addFault({ match: { path: jobPath }, times: 1, effect: { type: "reset", when: "before-headers" } });
    await expect(api().Jobs.show(1, JOBS.failed)).rejects.toThrow(/fetch failed/);
    await addFault({ match: { path: jobPath }, times: 1, effect: { type: "truncate", bytes: 10 } });
    await expect(api().Jobs.show(1, JOBS.failed)).rejects.toThrow();
    expect((await api().Jobs.show(1, JOBS.failed)).id).toBe(JOBS.failed);
    expect((await journal(jobPath)).map((e) => [e.status, e.fault ?? null])).toEqual([
      [0, "fault-1"],
      [200, "fault-2"],
      [200, null],
    ]);
  });
});
