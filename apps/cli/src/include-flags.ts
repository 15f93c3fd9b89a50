// The include flags `buildsim run` and `buildsim lint` share, and the include sources they build:
// the include map, local projects (through a buildsim server's API), `--gitlab-url`, then plain HTTP.

import path from "node:path";
import {
  type AsyncIncludeSources,
  createIncludeFetcher,
  type GitLabApi,
  readIncludeMap,
} from "@buildsim/ci-config";

export const INCLUDE_USAGE = `  --include-map F    map projects, URLs, templates and components to local folders or files
                     (default .buildsim/includes.yml beside the CI file)
  --project P=DIR    make the repository in DIR available as project P (e.g. acme/ci=../ci) (repeatable)
  --gitlab-url URL   fetch include:project, include:component and include:template from this GitLab
                     (or another buildsim); --gitlab-token T authenticates (PRIVATE-TOKEN)`;

/** The include flags as given. */
export interface IncludeFlags {
  includeMap: string | null;
  /** `--project group/name=DIR` pairs. */
  projects: { path: string; dir: string }[];
  gitlabUrl: string | null;
  gitlabToken: string | null;
}

/** `parseArgs` option definitions for the include flags. */
export const INCLUDE_PARSE_OPTIONS = {
  "include-map": { type: "string" },
  project: { type: "string", multiple: true },
  "gitlab-url": { type: "string" },
  "gitlab-token": { type: "string" },
} as const;

/** Reads the include flags from `parseArgs` values; an error message for a malformed one. */
export function readIncludeFlags(values: {
  "include-map"?: string;
  project?: string[];
  "gitlab-url"?: string;
  "gitlab-token"?: string;
}): IncludeFlags | { error: string } {
  const projects: IncludeFlags["projects"] = [];
  for (const pair of values.project ?? []) {
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq);
    if (eq <= 0 || eq === pair.length - 1 || !/^[\w.-]+(\/[\w.-]+)+$/.test(name))
      return { error: `--project expects group/name=DIR, got "${pair}"` };
    projects.push({ path: name, dir: pair.slice(eq + 1) });
  }
  const url = values["gitlab-url"] ?? null;
  if (url !== null && !/^https?:\/\/[^/]/.test(url))
    return { error: `--gitlab-url must be an http(s) URL, got "${url}"` };
  return {
    includeMap: values["include-map"] ?? null,
    projects,
    gitlabUrl: url === null ? null : url.replace(/\/+$/, ""),
    gitlabToken: values["gitlab-token"] ?? null,
  };
}

export interface IncludeSetup {
  flags: IncludeFlags;
  /** Where relative flag paths start. */
  cwd: string;
  /** The CI file's directory: the default include map is `.buildsim/includes.yml` there. */
  projectDir: string;
  /** The buildsim that knows local projects (the one `run` starts), tried before `--gitlab-url`. */
  localApi: GitLabApi | null;
  /** `<data dir>/includes`, or null to cache nothing. */
  cacheDir: string | null;
}

/** The include sources in their order, or the error reading the include map. */
export function createIncludeSources(setup: IncludeSetup): AsyncIncludeSources | { error: string } {
  const { flags } = setup;
  const mapFile = flags.includeMap
    ? path.resolve(setup.cwd, flags.includeMap)
    : path.join(setup.projectDir, ".buildsim", "includes.yml");
  const map = readIncludeMap(mapFile, flags.includeMap !== null);
  if ("error" in map) return map;
  const apis: GitLabApi[] = [];
  if (setup.localApi) apis.push(setup.localApi);
  if (flags.gitlabUrl)
    apis.push({ url: flags.gitlabUrl, ...(flags.gitlabToken ? { token: flags.gitlabToken } : {}) });
  return createIncludeFetcher({ map, apis, cacheDir: setup.cacheDir });
}
