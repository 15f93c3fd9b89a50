// `buildsim serve`: starts the API server and prints its URL and a token to call it with.

import { parseCommandLine } from "@buildsim/runner";
import { isApiProfile, type RunningServer, startServer } from "@buildsim/server";
import { describeError } from "./describe-error.js";

/** Usage text for `buildsim serve`. */
export const SERVE_USAGE = `Usage: buildsim serve [-p N] [--host H] [--data DIR] [--db :memory:|postgres://…] [--seed FILE] [--profile docs|gitlab-8.17] [--no-controls]

Serves GitLab's v3 Builds API and v4 Jobs API (and the runner protocol) until Ctrl-C.

Options:
  -p, --port N     port to listen on (default 3000; 0 picks a free one)
  --host H         address to bind (default 127.0.0.1)
  --data DIR       data directory: SQLite database + artifacts (default .buildsim)
  --db :memory:    keep everything in memory (gone when the server stops)
  --db postgres://USER@HOST:PORT/DB[?schema=S]
                   keep the data in PostgreSQL; several servers may share one database
                   (artifacts stay under --data)
  --seed FILE      load users, projects, pipelines and builds from a YAML or JSON seed file
                   (only into an empty database; examples/seed-doc.yaml holds the v3 docs' data)
  --profile P      v3 behaviour: docs (the seed document, default) or gitlab-8.17
  --no-controls    turn the contract-testing controls off: no request journal, no reset point,
                   and /-/buildsim/admin/ answers 404 (reset, journal, faults, clock, scripts)
  --debug          show the stack trace of an unexpected error
  -h, --help       this text`;

/** `serve`'s flags, for node:util parseArgs (through parseCommandLine). */
const SERVE_FLAGS = {
  port: { type: "string", short: "p" },
  host: { type: "string" },
  data: { type: "string" },
  db: { type: "string" },
  seed: { type: "string" },
  profile: { type: "string" },
  "no-controls": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Parsed `serve` options, or the reason they are wrong. */
export type ServeArgs =
  | {
      ok: true;
      port: number;
      host: string;
      dataDir?: string;
      /** `:memory:` or a `postgres://` URL; undefined for SQLite under the data directory. */
      db?: string;
      seedFile?: string;
      profile: "docs" | "gitlab-8.17";
      /** The contract-testing controls (admin API, journal, reset point); `--no-controls` turns them off. */
      controls: boolean;
      help: boolean;
    }
  | { ok: false; error: string };

/** Parses the arguments after `serve`. */
export function parseServeArgs(argv: string[]): ServeArgs {
  const parsed = parseCommandLine(argv, SERVE_FLAGS);
  if (!parsed.ok) return parsed;
  const values = parsed.values;
  const port = values.port === undefined ? 3000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return { ok: false, error: `--port must be an integer from 0 to 65535, got ${String(values.port)}` };
  const postgres = typeof values.db === "string" && /^postgres(ql)?:\/\//.test(values.db);
  if (values.db !== undefined && values.db !== ":memory:" && !postgres)
    return {
      ok: false,
      error: `--db accepts :memory: or a postgres:// URL (use --data DIR for an SQLite file), got ${String(values.db)}`,
    };
  if (values.db === ":memory:" && values.data !== undefined)
    return { ok: false, error: "--data and --db :memory: cannot be combined" };
  const profile = values.profile ?? "docs";
  if (!isApiProfile(profile))
    return { ok: false, error: `--profile must be docs or gitlab-8.17, got ${String(values.profile)}` };
  return {
    ok: true,
    port,
    host: typeof values.host === "string" ? values.host : "127.0.0.1",
    ...(typeof values.data === "string" ? { dataDir: values.data } : {}),
    ...(typeof values.db === "string" ? { db: values.db } : {}),
    ...(typeof values.seed === "string" ? { seedFile: values.seed } : {}),
    profile,
    controls: values["no-controls"] !== true,
    help: values.help === true,
  };
}

/** Where `serve` writes, and whether it stops on SIGINT/SIGTERM (the real command does). */
export interface ServeIo {
  out: (line: string) => void;
  err: (line: string) => void;
  handleSignals: boolean;
}

const defaultIo: ServeIo = {
  out: (l) => console.log(l),
  err: (l) => console.error(l),
  handleSignals: true,
};

/** Runs `buildsim serve`; resolves with the running server (it keeps the process alive) or an exit code. */
export async function runServe(argv: string[], io: ServeIo = defaultIo): Promise<RunningServer | number> {
  const { out, err } = io;
  const args = parseServeArgs(argv);
  if (!args.ok) {
    err(`buildsim serve: ${args.error}`);
    err("see 'buildsim serve --help'");
    return 2;
  }
  if (args.help) {
    out(SERVE_USAGE);
    return 0;
  }
  let server: RunningServer;
  try {
    server = await startServer({
      port: args.port,
      host: args.host,
      ...(args.db === undefined ? {} : { db: args.db }),
      ...(args.dataDir === undefined ? {} : { dataDir: args.dataDir }),
      ...(args.seedFile ? { seedFile: args.seedFile } : {}),
      profile: args.profile,
      ...(args.controls ? {} : { controls: false as const }),
    });
  } catch (e) {
    err(`buildsim serve: ${describeError(e)}`);
    return 1;
  }
  if (server.seedSkipped) out(`note: ${args.seedFile} not loaded: the data directory already holds data`);
  out(`buildsim listening on ${server.url} (profile ${args.profile})`);
  out(`API: ${server.url}/api/v3`);
  out(`token: ${server.token}`);
  out(
    `runner registration token: ${server.registrationToken} (runners connect to ${server.url.replace(/^http/, "ws")}/-/buildsim/runner)`,
  );
  if (!args.controls) out("contract-testing controls: off (--no-controls)");
  out(`try: curl -H "PRIVATE-TOKEN: ${server.token}" ${server.url}/api/v3/projects/1/builds`);
  if (io.handleSignals) {
    const stop = () => {
      void server.close().then(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }
  return server;
}
