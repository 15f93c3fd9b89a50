// Artifact archives over the Jobs API: upload a build's zip, download and unpack a dependency's.

import { lstat, mkdir, readFile, readlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { unzipSync, type Zippable, zipSync } from "fflate";

/** The part of `fetch`'s request options the artifact transfers use. */
export interface TransferRequestInit {
  method?: string;
  headers: Record<string, string>;
  body?: Uint8Array<ArrayBuffer>;
  signal?: AbortSignal;
}

/** The part of `fetch`'s `Response` the artifact transfers read. */
export interface TransferFetchResponse {
  ok: boolean;
  status: number;
  statusText: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The slice of `fetch`'s shape the transfers need, injectable; `globalThis.fetch` is one. */
export type FetchFunction = (url: string, init: TransferRequestInit) => Promise<TransferFetchResponse>;

/** The server's HTTP base URL from the runner's URL (`ws://` → `http://`), without a trailing slash. */
export function httpBaseUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === "ws:") parsed.protocol = "http:";
  if (parsed.protocol === "wss:") parsed.protocol = "https:";
  return `${parsed.origin}${parsed.pathname.replace(/\/-\/buildsim\/runner$/, "").replace(/\/$/, "")}`;
}

/** A server URL, or a function giving the one in use now (a runner failing over between servers). */
export type ServerUrlSource = string | (() => string);

/** The HTTP base URL of `source` at this moment: a transfer goes to the server the runner is on now. */
export function currentHttpBaseUrl(source: ServerUrlSource): string {
  return httpBaseUrl(typeof source === "function" ? source() : source);
}

/** Zips `files` (relative to `dir`) into a standard zip archive, keeping Unix file modes. */
export async function zipFiles(dir: string, files: string[]): Promise<Uint8Array> {
  const entries: Zippable = {};
  for (const file of files) {
    const full = path.join(dir, file);
    const stats = await lstat(full);
    const data = stats.isSymbolicLink() ? Buffer.from(await readlink(full)) : await readFile(full);
    const type = stats.isSymbolicLink() ? 0o120000 : 0o100000;
    entries[file] = [data, { os: 3, attrs: ((type | (stats.mode & 0o777)) << 16) >>> 0, mtime: stats.mtime }];
  }
  return zipSync(entries, { level: 6 });
}

/** Unpacks a zip into `dir`; entries that would land outside it are skipped and returned. */
export async function unzipInto(
  dir: string,
  archive: Uint8Array,
): Promise<{ written: string[]; skipped: string[] }> {
  const written: string[] = [];
  const skipped: string[] = [];
  const root = path.resolve(dir);
  for (const [name, data] of Object.entries(unzipSync(archive))) {
    const target = path.resolve(root, name);
    if (target !== root && !target.startsWith(`${root}${path.sep}`)) {
      skipped.push(name);
      continue;
    }
    if (name.endsWith("/")) {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, data);
    written.push(name);
  }
  return { written, skipped };
}

/** What an artifacts request answered. */
export interface TransferResponse {
  ok: boolean;
  status: number;
  statusText: string;
  body: Uint8Array;
}

async function request(
  fetchFn: FetchFunction,
  url: string,
  init: TransferRequestInit,
): Promise<TransferResponse> {
  const response = await fetchFn(url, init);
  const body = new Uint8Array(await response.arrayBuffer());
  return { ok: response.ok, status: response.status, statusText: response.statusText, body };
}

/** Which artifact an upload is: the zip archive, or a report GitLab parses (gzip members, one per file). */
export type UploadKind = { type: "archive" } | { type: "junit" };

/** `POST /api/v4/jobs/:id/artifacts` with the job token and the zip (or a report's gzip) as the raw body. */
export function uploadArtifacts(
  fetchFn: FetchFunction,
  baseUrl: string,
  job: { id: number; token: string },
  body: Uint8Array,
  expireIn: string | null,
  signal?: AbortSignal,
  kind: UploadKind = { type: "archive" },
): Promise<TransferResponse> {
  const query: string[] = [];
  if (kind.type !== "archive") query.push(`artifact_type=${kind.type}`, "artifact_format=gzip");
  if (expireIn) query.push(`expire_in=${encodeURIComponent(expireIn)}`);
  const search = query.length > 0 ? `?${query.join("&")}` : "";
  const contentType = kind.type === "archive" ? "application/zip" : "application/gzip";
  return request(fetchFn, `${baseUrl}/api/v4/jobs/${job.id}/artifacts${search}`, {
    method: "POST",
    headers: { "JOB-TOKEN": job.token, "Content-Type": contentType },
    body: body as Uint8Array<ArrayBuffer>,
    ...(signal ? { signal } : {}),
  });
}

/** `GET /api/v4/jobs/:id/artifacts` with the dependency's own job token. */
export function downloadArtifacts(
  fetchFn: FetchFunction,
  baseUrl: string,
  dependency: { id: number; token: string },
  signal?: AbortSignal,
): Promise<TransferResponse> {
  return request(fetchFn, `${baseUrl}/api/v4/jobs/${dependency.id}/artifacts`, {
    headers: { "JOB-TOKEN": dependency.token },
    ...(signal ? { signal } : {}),
  });
}
