// Reads `buildsim runner` command-line flags into runner options, or a message saying what is wrong.

import { isServerUrl } from "@buildsim/client";
import { parseCommandLine } from "./parse-command-line.js";

/** The runner's command-line options. */
export interface RunnerCliOptions {
  /** The first server URL. */
  url: string;
  /** Every server URL, `url` first: the runner moves to the next one when its link is lost. */
  urls: string[];
  token: string;
  concurrent: number;
  executor: "auto" | "docker" | "shell" | "simulate";
  tags: string[];
  name: string;
  buildsDir: string | null;
  cacheDir: string | null;
  help: boolean;
}

export type ParseRunnerArgsResult = { ok: true; options: RunnerCliOptions } | { ok: false; error: string };

export const RUNNER_USAGE = `Usage: buildsim runner --url URL --token TOKEN [options]

Connects to a buildsim server as a runner, claims builds and runs them.

Options:
  --url URL           the server's base URL (http://host:port)             [env BUILDSIM_URL]
                      repeat it or separate URLs with commas for servers sharing one database:
                      a runner whose link is lost reconnects to the next one and resumes its builds
  --token TOKEN       the runner token                                     [env BUILDSIM_RUNNER_TOKEN]
  --concurrent N      builds run at the same time (default 1)
  --executor NAME     auto (the default: docker for jobs with an image when a Docker daemon answers,
                      else shell), docker, shell (bash on the host) or simulate (docs/simulate-executor.md)
  --tags a,b          the runner's tags; it gets only builds whose tags it has
  --name NAME         the runner's name in traces (default: the host name)
  --builds-dir DIR    where build directories are created (default: <tmpdir>/buildsim-builds)
  --cache-dir DIR     where cache: archives are kept, per project (default: no cache)
  -h, --help          this text

Signals: SIGTERM or SIGINT aborts running builds (they fail as runner_system_failure), removes their
processes and containers and exits 130 once the server has them; a second one exits at once (130). SIGQUIT stops claiming and waits for running
builds to finish.`;

/** The runner's flags, for node:util parseArgs (through parseCommandLine). */
const RUNNER_FLAGS = {
  url: { type: "string", multiple: true },
  token: { type: "string" },
  concurrent: { type: "string" },
  executor: { type: "string" },
  tags: { type: "string" },
  name: { type: "string" },
  "builds-dir": { type: "string" },
  "cache-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Parses `argv` (the arguments after `runner`); `env` supplies BUILDSIM_URL / BUILDSIM_RUNNER_TOKEN. */
export function parseRunnerArgs(
  argv: string[],
  env: Record<string, string | undefined>,
  defaultName: string,
): ParseRunnerArgsResult {
  const parsed = parseCommandLine(argv, RUNNER_FLAGS);
  if (!parsed.ok) return parsed;
  const flags = parsed.values;
  const values = new Map<string, string>(
    Object.entries(flags).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  const help = flags.help === true;
  // `--url a --url b` and `--url a,b` (and BUILDSIM_URL=a,b) give the same list. gitlab-runner's
  // config.toml has one `url` per runner; a list is buildsim's addition for its multi-server mode.
  const urls = (flags.url ?? [env.BUILDSIM_URL ?? ""])
    .flatMap((url) => url.split(","))
    .map((url) => url.trim())
    .filter((url) => url !== "");
  const options: RunnerCliOptions = {
    url: urls[0] ?? "",
    urls,
    token: values.get("token") ?? env.BUILDSIM_RUNNER_TOKEN ?? "",
    concurrent: Number(values.get("concurrent") ?? "1"),
    executor: (values.get("executor") ?? "auto") as RunnerCliOptions["executor"],
    tags: (values.get("tags") ?? "")
      .split(",")
      .map((tag) => tag.trim())
      .filter((tag) => tag !== ""),
    name: values.get("name") ?? defaultName,
    buildsDir: values.get("builds-dir") ?? null,
    cacheDir: values.get("cache-dir") ?? null,
    help,
  };
  if (help) return { ok: true, options };
  if (!options.url) return { ok: false, error: "--url is required" };
  const bad = urls.find((url) => !isServerUrl(url));
  if (bad !== undefined) {
    const which = urls.length > 1 ? ` (URL ${urls.indexOf(bad) + 1} of ${urls.length})` : "";
    return { ok: false, error: `--url must be an http(s) or ws(s) URL, got "${bad}"${which}` };
  }
  if (!options.token) return { ok: false, error: "--token is required" };
  if (!Number.isInteger(options.concurrent) || options.concurrent < 1) {
    return {
      ok: false,
      error: `--concurrent must be a whole number of at least 1, got "${values.get("concurrent")}"`,
    };
  }
  if (!["auto", "docker", "shell", "simulate"].includes(options.executor)) {
    return {
      ok: false,
      error: `--executor must be auto, docker, shell or simulate, got "${options.executor}"`,
    };
  }
  return { ok: true, options };
}
