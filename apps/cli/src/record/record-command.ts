// `buildsim record`: a proxy to a real GitLab (or another buildsim) that writes what passed through it as
// a seed file, so `buildsim serve --seed FILE` answers the same reads with the same bytes.

import { writeFileSync } from "node:fs";
import { ClientError, createClient } from "@buildsim/client";
import { parseCommandLine } from "@buildsim/runner";
import { parseSeed } from "@buildsim/server";
import { describeError } from "../describe-error.js";
import { FixtureRecorder } from "./fixture-recorder.js";
import { startRecordingProxy } from "./recording-proxy.js";

/** The token the recording user gets in the seed: the real one is never written. */
export const RECORDED_TOKEN = "buildsim-recorded-token";

const DEFAULT_MAX_BYTES = 1024 * 1024;

export const RECORD_USAGE = `Usage: buildsim record --target URL --token T [--project P] [--out FILE] [-p N] [--host H] [--max-bytes N]

Proxies to a GitLab (or another buildsim) and, on Ctrl-C, writes what it saw as a seed file for
\`buildsim serve --seed FILE\`: the jobs, pipelines and projects of the answers that passed through
(with their traces, artifact archives, commits, users and runners), ids as they were. No token of the
target is written: the recording user gets the token ${RECORDED_TOKEN}.

Options:
  --target URL     the GitLab to record (http://host:port, no /api/v4)
  --token T        a token of the target (sent as PRIVATE-TOKEN; requests without a token get it)
  --project P      also record project P (id or path): its 20 latest pipelines and all their jobs
  --out FILE       where to write the seed (default buildsim-recording.json)
  -p, --port N     port the proxy listens on (default 3001; 0 picks a free one)
  --host H         address to bind (default 127.0.0.1)
  --max-bytes N    trace and artifact bytes kept per job (default 1M; K and M suffixes): a longer
                   trace is cut, a larger archive keeps only its size
  -h, --help       this text`;

const RECORD_FLAGS = {
  target: { type: "string" },
  token: { type: "string" },
  project: { type: "string" },
  out: { type: "string" },
  port: { type: "string", short: "p" },
  host: { type: "string" },
  "max-bytes": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Where `record` writes, and whether it stops on SIGINT/SIGTERM (the real command does). */
export interface RecordIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: RecordIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** `1048576`, `512K`, `5M` → bytes; null when it is none of those. */
export function parseByteSize(text: string): number | null {
  const m = /^(\d+)([KkMm]?)$/.exec(text);
  if (!m) return null;
  const unit = m[2] === "" ? 1 : /k/i.test(m[2]!) ? 1024 : 1024 * 1024;
  const bytes = Number(m[1]) * unit;
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** Why the target cannot be recorded, in one line. */
function describeTargetError(error: unknown, target: string): string {
  if (error instanceof ClientError) {
    if (error.status === 401)
      return `the target ${target} refused the token (401 Unauthorized): check --token`;
    if (error.status === 403) return `the target ${target} refused the token (403 Forbidden): check --token`;
    if (error.status === 404)
      return `the target ${target} has no GitLab API (404 on /api/v4/user): check --target`;
    if (error.status !== null) return `the target ${target} answered ${error.status}: ${error.message}`;
  }
  return `cannot reach the target ${target}: ${describeError(error).replace(/; is the server running.*$|: check --url$/, "")}; check --target`;
}

/** Runs `buildsim record`; resolves with the exit code once the recording is written (or refused). */
export async function runRecordCommand(argv: string[], io: RecordIo = defaultIo): Promise<number> {
  const usageError = (message: string) => {
    io.err(`buildsim record: ${message}`);
    io.err("see 'buildsim record --help'");
    return 2;
  };
  const parsed = parseCommandLine(argv, RECORD_FLAGS);
  if (!parsed.ok) return usageError(parsed.error);
  const v = parsed.values;
  if (v.help) {
    io.out(RECORD_USAGE);
    return 0;
  }
  if (!v.target) return usageError("--target is required");
  if (!v.token) return usageError("--token is required");
  if (!/^https?:\/\/[^/]/.test(v.target))
    return usageError(`--target must be an http(s) URL, got ${v.target}`);
  const port = v.port === undefined ? 3001 : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return usageError(`--port must be an integer from 0 to 65535, got ${v.port}`);
  const maxBytes = v["max-bytes"] === undefined ? DEFAULT_MAX_BYTES : parseByteSize(v["max-bytes"]);
  if (maxBytes === null) return usageError(`--max-bytes must be a byte count such as 1048576, 512K or 5M`);
  const target = v.target.replace(/\/+$/, "");
  const outFile = v.out ?? "buildsim-recording.json";
  const client = createClient({ baseUrl: target, token: v.token, retry: false });
  const fail = (error: unknown) => {
    io.err(`buildsim record: ${describeTargetError(error, target)}`);
    return 1;
  };
  try {
    await client.v4.user();
  } catch (error) {
    return fail(error);
  }
  const recorder = new FixtureRecorder(client, maxBytes);
  if (v.project !== undefined) {
    try {
      await recorder.addProject(/^\d+$/.test(v.project) ? Number(v.project) : v.project);
    } catch (error) {
      return fail(error);
    }
  }
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  try {
    proxy = await startRecordingProxy(
      { target, token: v.token, observe: (...a) => recorder.observe(...a), log: io.err },
      port,
      v.host ?? "127.0.0.1",
    );
  } catch (error) {
    io.err(`buildsim record: ${describeError(error)}`);
    return 1;
  }
  // Listening for the signals before saying where the proxy is: a Ctrl-C right after that line must
  // write the recording, not find the default handler still in place.
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  io.out(`buildsim record: proxying ${proxy.url} to ${target}`);
  io.out(`point your client at ${proxy.url}; Ctrl-C writes ${outFile}`);
  await stopped;
  await proxy.close();
  let written: Awaited<ReturnType<FixtureRecorder["finish"]>>;
  try {
    written = await recorder.finish(RECORDED_TOKEN);
  } catch (error) {
    return fail(error);
  }
  const text = `${JSON.stringify(written.document, null, 2)}\n`;
  // What is written must load: a seed `serve --seed` refuses would be a recording of nothing.
  const check = parseSeed(text);
  if (!check.ok) {
    io.err(`buildsim record: the recording does not make a valid seed: ${check.problems.join("; ")}`);
    return 1;
  }
  try {
    writeFileSync(outFile, text);
  } catch (error) {
    io.err(`buildsim record: ${describeError(error)}`);
    return 1;
  }
  const count = (key: string) => (written.document[key] as unknown[]).length;
  io.out(
    `wrote ${outFile}: ${count("projects")} project(s), ${count("pipelines")} pipeline(s), ${count("builds")} job(s); call it with PRIVATE-TOKEN: ${RECORDED_TOKEN}`,
  );
  for (const cut of written.notes.truncated)
    io.out(`note: ${cut} is larger than --max-bytes ${maxBytes}: cut`);
  return 0;
}
