// Loads a config whose includes need fetching: the synchronous loader runs, names the files it is missing,
// they are fetched (in parallel), and the loader runs again until nothing is missing. The fetched files are
// then a synchronous `IncludeSources` snapshot that pipeline creation can use inside one transaction.

import type { IncludeFetch, IncludeSources } from "./include-sources.js";
import { type LoadCiConfigOptions, type LoadCiConfigResult, loadCiConfig } from "./load-ci-config.js";
import { MAX_INCLUDES } from "./load-includes.js";

/** A fetched file, or GitLab's error for it; components also say which project and ref they came from. */
export type FetchedInclude = Exclude<IncludeFetch, { ok: "pending" }> & { project?: string; ref?: string };

/** The asynchronous side of `IncludeSources`: the include map, local projects, a GitLab API, HTTP. */
export interface AsyncIncludeSources {
  project(project: string, ref: string | null, file: string): Promise<FetchedInclude>;
  remote(url: string): Promise<FetchedInclude>;
  template(name: string): Promise<FetchedInclude>;
  component(address: string): Promise<FetchedInclude>;
}

export interface LoadCiConfigAsyncResult extends LoadCiConfigResult {
  /** Every file fetched while loading, to load the same config again without fetching. */
  sources: IncludeSources;
}

type Kind = keyof AsyncIncludeSources;

/** Loads like `loadCiConfig`, fetching included files from `fetchSources` as the loader asks for them. */
export async function loadCiConfigAsync(
  options: Omit<LoadCiConfigOptions, "sources">,
  fetchSources: AsyncIncludeSources,
): Promise<LoadCiConfigAsyncResult> {
  const fetched = new Map<string, FetchedInclude>();
  let missing = new Map<string, () => Promise<FetchedInclude>>();
  const lookup = (
    kind: Kind,
    fetch: () => Promise<FetchedInclude>,
    ...args: (string | null)[]
  ): IncludeFetch => {
    const key = JSON.stringify([kind, ...args]);
    const known = fetched.get(key);
    if (known) return known;
    missing.set(key, fetch);
    return { ok: "pending" };
  };
  const sources: IncludeSources = {
    project: (p, r, f) => lookup("project", () => fetchSources.project(p, r, f), p, r, f),
    remote: (u) => lookup("remote", () => fetchSources.remote(u), u),
    template: (n) => lookup("template", () => fetchSources.template(n), n),
    component: (a) => lookup("component", () => fetchSources.component(a), a) as FetchedInclude,
  };
  // Each round fetches at least one new file, and no walk reads more than MAX_INCLUDES files.
  for (let round = 0; round <= MAX_INCLUDES + 1; round++) {
    missing = new Map();
    const result = loadCiConfig({ ...options, sources });
    if (!result.pending || missing.size === 0) return { ...result, sources };
    const batch = [...missing];
    const results = await Promise.all(
      batch.map(([, fetch]) =>
        fetch().catch((error: unknown): FetchedInclude => ({ ok: false, message: String(error) })),
      ),
    );
    for (const [i, [key]] of batch.entries()) fetched.set(key, results[i]!);
  }
  return { ...loadCiConfig({ ...options, sources }), sources };
}
