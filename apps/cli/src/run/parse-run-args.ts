// `buildsim run` arguments: which file, ref, jobs, variables, concurrency and manual jobs to run.

import { parseCommandLine } from "@buildsim/runner";
import {
  INCLUDE_PARSE_OPTIONS,
  INCLUDE_USAGE,
  type IncludeFlags,
  readIncludeFlags,
} from "../include-flags.js";

export const RUN_USAGE = `Usage: buildsim run [options] [JOB…]

Runs a .gitlab-ci.yml pipeline locally with GitLab's semantics: starts the server (SQLite under --data)
and a runner, creates the pipeline, shows it live, and exits 0 only if it succeeded.

Options:
  -f, --file F        the CI file (default .gitlab-ci.yml); its directory is the project's work tree
  --ref R             branch or tag the pipeline runs for (default: the checked-out branch)
  --job NAME          run only the job with exactly this name (repeatable; JOB… positionals are the
                      same); a parallel or matrix job's name selects all its instances ("test 1/3",
                      "build: [linux]"); an unknown name is an error listing the jobs
  --var K=V           a pipeline variable (repeatable; highest precedence)
  --variables-file F  the project's CI/CD variables (value, masked, protected, variable_type: file,
                      raw), as in Settings > CI/CD (default <data>/variables.yml, used when present)
  --concurrent N      jobs run at the same time (default 4)
  --manual NAME       play this manual job when it is reached (repeatable)
  --executor E        auto (the default: docker for jobs with an image when a Docker daemon answers,
                      else shell), docker, shell (bash on this machine) or simulate
  --data DIR          where the server keeps its SQLite database and artifacts (default .buildsim)
  --db postgres://USER@HOST:PORT/DB[?schema=S]
                      keep the records and artifacts in PostgreSQL instead of SQLite (caches and
                      variables.yml stay under --data); later runs on the same --db continue from them
  --port N            the server's port, for --keep (default 0: any free port)
  --keep              keep serving after the pipeline ends, to inspect it through the API
  --verbose           show the runner's own trace lines (header, sources, uploads) on the board too
  --debug             show the stack trace of an unexpected error
  -h, --help          this text

Includes resolve offline first: the include map, then local projects (--project, and every project the
server under --data knows), then --gitlab-url, then plain HTTP for include:remote. Fetched files are
cached under --data/includes, so a second run needs no network.
${INCLUDE_USAGE}`;

export interface RunOptions {
  file: string;
  ref: string | null;
  jobs: string[];
  variables: Record<string, string>;
  /** `--variables-file`; null: `<data>/variables.yml` when it exists. */
  variablesFile: string | null;
  concurrent: number;
  manual: string[];
  executor: "auto" | "docker" | "shell" | "simulate";
  dataDir: string;
  /** `--db`: a `postgres://` URL to keep the data in; null: SQLite under `dataDir`. */
  db: string | null;
  port: number;
  keep: boolean;
  verbose: boolean;
  include: IncludeFlags;
}

export type ParseRunArgsResult =
  | { ok: true; options: RunOptions }
  | { ok: false; error: string }
  | { ok: "help" };

/** `buildsim run`'s flags, for node:util parseArgs (through parseCommandLine). */
const RUN_FLAGS = {
  file: { type: "string", short: "f" },
  ref: { type: "string" },
  job: { type: "string", multiple: true },
  var: { type: "string", multiple: true },
  "variables-file": { type: "string" },
  concurrent: { type: "string" },
  manual: { type: "string", multiple: true },
  executor: { type: "string" },
  data: { type: "string" },
  db: { type: "string" },
  port: { type: "string" },
  keep: { type: "boolean" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...INCLUDE_PARSE_OPTIONS,
} as const;

/** Parses `buildsim run` arguments (everything after `run`). */
export function parseRunArgs(argv: readonly string[]): ParseRunArgsResult {
  const parsed = parseCommandLine(argv, RUN_FLAGS, { allowPositionals: true });
  if (!parsed.ok) return parsed;
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
    return { ok: false, error: `--concurrent must be a whole number of at least 1, got "${v.concurrent}"` };
  const port = Number(v.port ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return { ok: false, error: `--port must be a whole number from 0 to 65535, got "${v.port}"` };
  if (v.db !== undefined && !/^postgres(ql)?:\/\//.test(v.db))
    return {
      ok: false,
      error: `--db accepts a postgres:// URL (the SQLite database lives under --data), got "${v.db}"`,
    };
  const include = readIncludeFlags(v);
  if ("error" in include) return { ok: false, error: include.error };
  const executor = v.executor ?? "auto";
  if (executor !== "auto" && executor !== "docker" && executor !== "shell" && executor !== "simulate")
    return { ok: false, error: `--executor must be auto, docker, shell or simulate, got "${executor}"` };
  return {
    ok: true,
    options: {
      file: v.file ?? ".gitlab-ci.yml",
      ref: v.ref ?? null,
      jobs: [...(v.job ?? []), ...parsed.positionals],
      variables,
      variablesFile: v["variables-file"] ?? null,
      concurrent,
      manual: v.manual ?? [],
      executor,
      dataDir: v.data ?? ".buildsim",
      db: v.db ?? null,
      port,
      keep: v.keep ?? false,
      verbose: v.verbose ?? false,
      include,
    },
  };
}
