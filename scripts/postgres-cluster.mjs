// A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temporary directory, started on a
// free local port, stopped and removed afterwards. Debian's `postgresql` package provides the binaries
// (scripts/system-deps.mjs installs it). Used by the server's vitest global setup and the benchmarks.
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** The one line a machine without PostgreSQL gets (never a silent skip). */
export const MISSING_POSTGRES =
  "PostgreSQL is needed for these tests: install Debian's postgresql (as root: apt-get install -y postgresql)";

/** The directory holding `initdb` and `pg_ctl`: Debian keeps them out of PATH, per major version. */
export function postgresBinDir() {
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], "bin");
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  return undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a cluster; resolves with its `url` (`postgres://postgres@127.0.0.1:PORT/postgres`, trust
 * authentication, local only), `restart()` and `stop()` (which also removes it). `initdb` refuses to run
 * as root, so as root the directory is handed to the `postgres` user (Debian's package creates it).
 * `settings` are extra `-c name=value` server settings.
 */
export async function startPostgresCluster(settings = []) {
  const bin = postgresBinDir();
  if (!bin) throw new Error(MISSING_POSTGRES);
  const dir = mkdtempSync(path.join(os.tmpdir(), "buildsim-pg-"));
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  const run = (tool, args) => {
    const argv = [path.join(bin, tool), ...args];
    if (asRoot) {
      const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
      execFileSync("su", ["postgres", "-s", "/bin/sh", "-c", quoted], {
        stdio: ["ignore", "ignore", "pipe"],
      });
    } else {
      execFileSync(argv[0], argv.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
    }
  };
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  // Durability is not what tests measure: fsync off keeps a loaded CI machine fast. Many tests each open
  // their own connection, so allow plenty.
  const options = [
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500",
    ...settings.map((s) => `-c ${s}`),
  ].join(" ");
  const start = () =>
    run("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "-t", "60", "start"]);
  try {
    run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
    start();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = e.stderr?.toString().trim();
    throw new Error(`could not start a throwaway PostgreSQL cluster: ${stderr || e.message}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    /** Stops PostgreSQL at once (as a crash would) and starts it again on the same port and data. */
    restart() {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      start();
    },
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
