// GitLab's runner registration (`POST /api/v4/runners`): a registration token (the instance's, or a
// project's runners token) in, a runner id and runner token out.

import { createHttpTransport, type FetchFn } from "./http-transport.js";

export interface RegisterRunnerOptions {
  /** Server root, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** The instance registration token (a shared runner) or a project's runners token (a specific one). */
  registrationToken: string;
  description?: string;
  /** Builds with tags go only to runners having all of them. */
  tagList?: readonly string[];
  /** Whether the runner takes builds without tags. @default true (GitLab's default) */
  runUntagged?: boolean;
  locked?: boolean;
  /** @default globalThis.fetch */
  fetch?: FetchFn;
}

/** The registered runner: what `buildsim runner --token` needs. */
export interface RegisteredRunner {
  id: number;
  token: string;
}

/** Registers a runner; rejects with a `ClientError` (403 for a bad registration token). */
export async function registerRunner(options: RegisterRunnerOptions): Promise<RegisteredRunner> {
  // Registration is not idempotent: a retried request could register the runner twice.
  const transport = createHttpTransport({ baseUrl: options.baseUrl, fetch: options.fetch, retry: false });
  const response = await transport.request<RegisteredRunner>({
    method: "POST",
    path: "/api/v4/runners",
    body: {
      token: options.registrationToken,
      ...(options.description === undefined ? {} : { description: options.description }),
      ...(options.tagList === undefined ? {} : { tag_list: options.tagList.join(",") }),
      ...(options.runUntagged === undefined ? {} : { run_untagged: options.runUntagged }),
      ...(options.locked === undefined ? {} : { locked: options.locked }),
    },
  });
  return response.data;
}
