// `buildsim run` arguments: which file, ref, jobs, variables, concurrency and manual jobs to run.

import { parseArgs } from "node:util";
import {
  INCLUDE_PARSE_OPTIONS,
  INCLUDE_USAGE,
  type IncludeFlags,
  readIncludeFlags,
} from "../include-flags.js";

export const RUN_USAGE = `Usage: buildsim run [--file F] [--ref R] [--job NAME…] [--var K=V…] [--concurrent N]
                    [--manual NAME…] [--executor auto|docker|shell|simulate] [--data DIR] [--port N] [--keep]
                    [--include-map F] [--project P=DIR…] [--gitlab-url URL [--gitlab-token T]]

Runs a .gitlab-ci.yml pipeline locally with GitLab's semantics: starts the server (SQLite under --data,
default .buildsim/) and a runner, creates the pipeline, shows it live, and exits 0 only if it succeeded.

  --file F          the CI file (default .gitlab-ci.yml); its directory is the project's work tree
  --ref R           branch or tag the pipeline runs for (default: the checked-out branch)
  --job NAME        run only this job (repeatable); parallel jobs match by their base name
  --var K=V         a pipeline variable (repeatable)
  --concurrent N    jobs run at the same time (default 4)
  --manual NAME     play this manual job when it is reached (repeatable)
  --executor E      auto (default: docker for jobs with an image when a Docker daemon answers, else
                    shell), docker, shell (on the host) or simulate
  --keep            keep serving after the pipeline ends, to inspect it through the API

Includes resolve offline first: the include map, then local projects (--project, and every project the
server under --data knows), then --gitlab-url, then plain HTTP for include:remote. Fetched files are
cached under --data/includes, so a second run needs no network.
${INCLUDE_USAGE}`;

export interface RunOptions {
  file: string;
  ref: string | null;
  jobs: string[];
  variables: Record<string, string>;
  concurrent: number;
  manual: string[];
  executor: "auto" | "docker" | "shell" | "simulate";
  dataDir: string;
  port: number;
  keep: boolean;
  include: IncludeFlags;
}

export type ParseRunArgsResult =
  | { ok: true; options: RunOptions }
  | { ok: false; error: string }
  | { ok: "help" };

/** Parses `buildsim run` arguments (everything after `run`). */
export function parseRunArgs(argv: readonly string[]): ParseRunArgsResult {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const v = parsed.values;
  if (v.help) return { ok: "help" };
  const variables: Record<string, string> = {};
  for (const pair of v.var ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) return { ok: false, error: `--var expects KEY=VALUE, got "${pair}"` };
    variables[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const concurrent = Number(v.concurrent ?? "4");
  if (!Number.isInteger(concurrent) || concurrent < 1)
    return { ok: false, error: "--concurrent must be a positive integer" };
  const port = Number(v.port ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return { ok: false, error: "--port must be 0–65535" };
  const include = readIncludeFlags(v);
  if ("error" in include) return { ok: false, error: include.error };
  const executor = v.executor ?? "auto";
  if (executor !== "auto" && executor !== "docker" && executor !== "shell" && executor !== "simulate")
    return { ok: false, error: "--executor must be auto, docker, shell or simulate" };
  return {
    ok: true,
    options: {
      file: v.file ?? ".gitlab-ci.yml",
      ref: v.ref ?? null,
      jobs: [...(v.job ?? []), ...parsed.positionals],
      variables,
      concurrent,
      manual: v.manual ?? [],
      executor,
      dataDir: v.data ?? ".buildsim",
      port,
      keep: v.keep ?? false,
      include,
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      file: { type: "string", short: "f" },
      ref: { type: "string" },
      job: { type: "string", multiple: true },
      var: { type: "string", multiple: true },
      concurrent: { type: "string" },
      manual: { type: "string", multiple: true },
      executor: { type: "string" },
      data: { type: "string" },
      port: { type: "string" },
      keep: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      ...INCLUDE_PARSE_OPTIONS,
    },
  });
}
