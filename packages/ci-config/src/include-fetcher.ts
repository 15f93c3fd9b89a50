// The include sources in their order: the local include map, then GitLab APIs (the local buildsim that
// knows other local repositories as projects, then `--gitlab-url`), then plain HTTP(S) for remote files.
// Every fetched file is cached under the data dir by project, ref and sha (or URL): when the network is
// unreachable the cached copy is used, so a second run needs no network.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseComponentAddress } from "./include-location.js";
import { type IncludeMap, isFolder, readMapped } from "./include-map.js";
import { RESOLVE_HINTS } from "./include-sources.js";
import type { AsyncIncludeSources, FetchedInclude } from "./resolve-includes.js";

/** A GitLab API (real GitLab or another buildsim). */
export interface GitLabApi {
  /** Base URL without `/api/v4`. */
  url: string;
  token?: string;
}

export interface IncludeFetcherOptions {
  map?: IncludeMap | null;
  /** Tried in order; the first that knows the project answers. */
  apis?: readonly GitLabApi[];
  /** Directory of the include cache (`<data dir>/includes`); null disables it. */
  cacheDir?: string | null;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Per request; a source that does not answer in time counts as unreachable. @default 10000 */
  requestTimeoutMs?: number;
}

type ApiFile =
  | { kind: "found"; content: string; sha: string | null }
  | { kind: "no-project" | "no-file" | "no-ref" }
  | { kind: "unreachable" };

const SHA = /^[0-9a-f]{40}$/;
const enc = encodeURIComponent;

/** Creates the asynchronous include sources `loadCiConfigAsync` fetches from. */
export function createIncludeFetcher(options: IncludeFetcherOptions): AsyncIncludeSources {
  const doFetch = options.fetch ?? globalThis.fetch;
  const map = options.map?.entries ?? new Map<string, string>();
  const apis = options.apis ?? [];
  const cacheFile = (key: unknown[]): string | null =>
    options.cacheDir
      ? path.join(options.cacheDir, `${createHash("sha256").update(JSON.stringify(key)).digest("hex")}.json`)
      : null;
  const cacheGet = (key: unknown[]): { content: string; project?: string; ref?: string } | null => {
    const file = cacheFile(key);
    try {
      return file ? JSON.parse(readFileSync(file, "utf8")) : null;
    } catch {
      return null;
    }
  };
  const cachePut = (key: unknown[], value: { content: string; project?: string; ref?: string }): void => {
    const file = cacheFile(key);
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(value));
  };

  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const timedOut = new Set<string>();
  const get = async (url: string, token: string | undefined): Promise<Response | null> => {
    try {
      return await doFetch(url, {
        headers: token ? { "PRIVATE-TOKEN": token } : {},
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if ((error as Error).name === "TimeoutError") timedOut.add(url);
      return null;
    }
  };

  /** GitLab's raw file endpoint; its 404 messages tell a missing project from a missing file or ref. */
  const apiFile = async (
    api: GitLabApi,
    project: string,
    ref: string | null,
    file: string,
  ): Promise<ApiFile> => {
    const query = ref === null ? "" : `?ref=${enc(ref)}`;
    const res = await get(
      `${api.url}/api/v4/projects/${enc(project)}/repository/files/${enc(file)}/raw${query}`,
      api.token,
    );
    if (!res) return { kind: "unreachable" };
    if (res.ok)
      return { kind: "found", content: await res.text(), sha: res.headers.get("x-gitlab-commit-id") };
    const body = (await res.json().catch(() => ({}))) as { message?: unknown };
    if (res.status === 404 && body.message === "404 File Not Found") return { kind: "no-file" };
    if (res.status === 404 && body.message === "404 Commit Not Found") return { kind: "no-ref" };
    if (res.status >= 500) return { kind: "unreachable" };
    return { kind: "no-project" };
  };

  /** A file of a project: map, cache by sha, APIs, cache by ref. */
  const projectFile = async (project: string, ref: string | null, file: string): Promise<FetchedInclude> => {
    const mapped = map.get(project);
    if (mapped !== undefined) {
      const content = readMapped(mapped, file);
      return content === undefined
        ? { ok: false, notFound: true, message: `Project \`${project}\` file \`${file}\` does not exist!` }
        : { ok: true, content };
    }
    const refKey = ["project", project, ref ?? "HEAD", file];
    if (ref !== null && SHA.test(ref)) {
      const cached = cacheGet(refKey);
      if (cached) return { ok: true, content: cached.content };
    }
    let unreachable = false;
    for (const api of apis) {
      const answer = await apiFile(api, project, ref, file);
      if (answer.kind === "found") {
        cachePut(refKey, { content: answer.content });
        if (answer.sha) cachePut(["project", project, answer.sha, file], { content: answer.content });
        return { ok: true, content: answer.content };
      }
      if (answer.kind === "no-file")
        return {
          ok: false,
          notFound: true,
          message: `Project \`${project}\` file \`${file}\` does not exist!`,
        };
      if (answer.kind === "no-ref")
        return { ok: false, message: `Project \`${project}\` reference \`${ref}\` does not exist!` };
      if (answer.kind === "unreachable") unreachable = true;
    }
    const cached = cacheGet(refKey);
    if (cached) return { ok: true, content: cached.content };
    const why = unreachable ? "could not be reached and is not cached" : "not found or access denied!";
    return { ok: false, message: `Project \`${project}\` ${why}: ${RESOLVE_HINTS.project}` };
  };

  const component = async (address: string): Promise<FetchedInclude> => {
    const notFound: FetchedInclude = {
      ok: false,
      message: `Component '${address}' - content not found: ${RESOLVE_HINTS.component}`,
    };
    const parts = parseComponentAddress(address);
    if (!parts) return notFound;
    // `~latest` needs the project's releases; locally it reads the default branch.
    const ref = parts.version === "~latest" ? null : parts.version;
    const where = { project: parts.project, ...(ref === null ? {} : { ref }) };
    const candidates = [`templates/${parts.name}.yml`, `templates/${parts.name}/template.yml`];
    for (const key of [
      address,
      `${parts.host}/${parts.project}/${parts.name}`,
      `${parts.host}/${parts.project}`,
      parts.project,
    ]) {
      const target = map.get(key);
      if (target === undefined) continue;
      const content = isFolder(target)
        ? candidates.map((c) => readMapped(target, c)).find((c) => c !== undefined)
        : readMapped(target, null);
      return content === undefined ? notFound : { ok: true, content, ...where };
    }
    const cacheKey = ["component", address];
    for (const api of apis) {
      for (const file of candidates) {
        const answer = await apiFile(api, parts.project, ref, file);
        if (answer.kind === "found") {
          cachePut(cacheKey, { content: answer.content, ...where });
          return { ok: true, content: answer.content, ...where };
        }
      }
    }
    const cached = cacheGet(cacheKey);
    return cached ? { ok: true, ...cached } : notFound;
  };

  const template = async (name: string): Promise<FetchedInclude> => {
    const key = name.replace(/\.gitlab-ci\.yml$/, "");
    for (const k of [name, key]) {
      const target = map.get(k);
      if (target === undefined) continue;
      const content = readMapped(target, null);
      if (content !== undefined) return { ok: true, content };
    }
    for (const api of apis) {
      const res = await get(`${api.url}/api/v4/templates/gitlab_ci_ymls/${enc(key)}`, api.token);
      if (!res?.ok) continue;
      const body = (await res.json().catch(() => null)) as { content?: unknown } | null;
      if (typeof body?.content !== "string") continue;
      cachePut(["template", name], { content: body.content });
      return { ok: true, content: body.content };
    }
    const cached = cacheGet(["template", name]);
    if (cached) return { ok: true, content: cached.content };
    return {
      ok: false,
      message: `Included file \`${name}\` is empty or does not exist!: ${RESOLVE_HINTS.template}`,
    };
  };

  const remote = async (url: string): Promise<FetchedInclude> => {
    const target = map.get(url);
    if (target !== undefined) {
      const content = readMapped(target, null);
      if (content !== undefined) return { ok: true, content };
    }
    const res = await get(url, undefined);
    if (res?.ok) {
      const content = await res.text();
      cachePut(["remote", url], { content });
      return { ok: true, content };
    }
    const cached = cacheGet(["remote", url]);
    if (cached) return { ok: true, content: cached.content };
    if (res)
      return {
        ok: false,
        message: `Remote file \`${url}\` could not be fetched because of HTTP code \`${res.status}\` error!`,
      };
    if (timedOut.has(url))
      return {
        ok: false,
        message: `Remote file \`${url}\` could not be fetched because of a timeout error!`,
      };
    return {
      ok: false,
      message: `Remote file \`${url}\` could not be fetched and is not cached: ${RESOLVE_HINTS.remote}`,
    };
  };

  return { project: projectFile, component, template, remote };
}
