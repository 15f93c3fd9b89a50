// Reads `buildsim runner` command-line flags into runner options, or a message saying what is wrong.

/** The runner's command-line options. */
export interface RunnerCliOptions {
  url: string;
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
  --token TOKEN       the runner token                                     [env BUILDSIM_RUNNER_TOKEN]
  --concurrent N      builds run at the same time (default 1)
  --executor NAME     auto (the default: docker for jobs with an image when a Docker daemon answers,
                      else shell), docker, shell (bash on the host) or simulate (docs/simulate-executor.md)
  --tags a,b          the runner's tags; it gets only builds whose tags it has
  --name NAME         the runner's name in traces (default: the host name)
  --builds-dir DIR    where build directories are created (default: <tmpdir>/buildsim-builds)
  --cache-dir DIR     where cache: archives are kept, per project (default: no cache)
  --help              this text

Signals: SIGTERM or SIGINT aborts running builds (they fail as runner_system_failure), removes their
processes and containers and exits 130 once the server has them; a second one exits at once (130). SIGQUIT stops claiming and waits for running
builds to finish.`;

const FLAGS = new Set(["url", "token", "concurrent", "executor", "tags", "name", "builds-dir", "cache-dir"]);

/** Parses `argv` (the arguments after `runner`); `env` supplies BUILDSIM_URL / BUILDSIM_RUNNER_TOKEN. */
export function parseRunnerArgs(
  argv: string[],
  env: Record<string, string | undefined>,
  defaultName: string,
): ParseRunnerArgsResult {
  const values = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!match || !FLAGS.has(match[1]!)) return { ok: false, error: `unknown argument: ${arg}` };
    const value = match[2] ?? argv[++i];
    if (value === undefined) return { ok: false, error: `--${match[1]} needs a value` };
    values.set(match[1]!, value);
  }
  const options: RunnerCliOptions = {
    url: values.get("url") ?? env.BUILDSIM_URL ?? "",
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
  if (!URL.canParse(options.url) || !/^(https?|wss?):$/.test(new URL(options.url).protocol)) {
    return { ok: false, error: `--url must be an http(s) or ws(s) URL, got "${options.url}"` };
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
