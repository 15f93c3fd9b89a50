// Real processes for end-to-end tests: the server (fixtures/server-main.mjs) and runners
// (apps/runner/dist/main.js), each a child that the test can stop or kill -9.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { postgresDatabaseFor } from "../../../../scripts/test-database.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const SERVER_MAIN = path.resolve(here, "../../fixtures/server-main.mjs");
const RUNNER_MAIN = path.resolve(here, "../../../../apps/runner/dist/main.js");

const children = new Set<ChildProcess>();

/** Kills (SIGKILL) every child still alive; call in afterEach. */
export function killAll(): void {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
}

/** Resolves when `child` has exited. */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** A port that was free a moment ago (for restarting the server on the same address). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A temporary directory removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A running server child. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Output it wrote to stderr so far (for failure messages). */
  stderr: () => string;
}

/** Starts the server on `port` over `dataDir`, seeding an empty database from `seed` (YAML text). */
export function startServerProcess(o: {
  dataDir: string;
  port: number;
  seed: string;
  heartbeatTimeoutMs: number;
  /** A postgres:// URL: the data lives there (the seed loads only into an empty database). */
  db?: string;
}): Promise<ServerProcess> {
  const seedFile = path.join(o.dataDir, "seed.yaml");
  writeFileSync(seedFile, o.seed);
  // In the `postgres` project a data directory stands for its schema too (test-dirs.ts reads it back).
  const db = o.db ?? postgresDatabaseFor(o.dataDir, "e2e");
  const child = spawn(
    process.execPath,
    [SERVER_MAIN, o.dataDir, String(o.port), seedFile, String(o.heartbeatTimeoutMs), ...(db ? [db] : [])],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  children.add(child);
  let err = "";
  child.stderr!.on("data", (c: Buffer) => {
    err += c.toString();
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0)
        resolve({ url: (JSON.parse(out.slice(0, nl)) as { url: string }).url, child, stderr: () => err });
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

/** Starts a runner child with the shell executor (one `--url` per server); its output is kept. */
export function startRunnerProcess(
  url: string | string[],
  token: string,
  buildsDir: string,
): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    [
      RUNNER_MAIN,
      ...[url].flat().flatMap((u) => ["--url", u]),
      "--token",
      token,
      "--executor",
      "shell",
      "--builds-dir",
      buildsDir,
      "--name",
      "e2e",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  children.add(child);
  let output = "";
  const keep = (c: Buffer) => {
    output += c.toString();
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return { child, output: () => output };
}

/** True while process `pid` runs: it exists and is not a zombie (exited, waiting to be reaped). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S …"; the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
