// The real components of a browser test: a git repository with the pipeline, the server
// (fixtures/ui-server-main.mjs) and a `buildsim runner` (the CLI), each a child process.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { testDatabase } from "../../../../scripts/test-database.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const SERVER_MAIN = path.resolve(here, "../../fixtures/ui-server-main.mjs");
/** The `buildsim` command as users run it. */
export const BUILDSIM_BIN = path.resolve(here, "../../../../apps/cli/dist/buildsim.mjs");

/** Tokens of the fixture server's users and runner. */
export const TOKENS = { admin: "tok-admin", developer: "tok-dev", reporter: "tok-rep", runner: "runner-e2e" };

const children = new Set<ChildProcess>();

/** Kills (SIGKILL) every child still alive. */
export function killAll(): void {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
}

/** A temporary directory and its removal. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A git repository on `main` whose `.gitlab-ci.yml` is `config`. */
export function makeRepo(dir: string, config: string): void {
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=Ada", "-c", "user.email=ada@example.com", ...args], { cwd: dir });
  git("init", "-q", "-b", "main");
  writeFileSync(path.join(dir, ".gitlab-ci.yml"), config);
  git("add", ".");
  git("commit", "-qm", "Add the web UI test pipeline");
}

/** Starts the fixture server; resolves with its URL and the project's id. */
export function startUiServer(
  repoDir: string,
): Promise<{ url: string; projectId: number; child: ChildProcess }> {
  const args = [SERVER_MAIN, repoDir, "0", testDatabase("web")];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
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
        resolve({ ...(JSON.parse(out.slice(0, nl)) as { url: string; projectId: number }), child });
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

/** Starts `buildsim runner` (shell executor) against `url`. */
export function startRunner(url: string, buildsDir: string): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    [
      BUILDSIM_BIN,
      "runner",
      "--url",
      url,
      "--token",
      TOKENS.runner,
      "--executor",
      "shell",
      "--concurrent",
      "4",
      "--builds-dir",
      buildsDir,
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

/** True while process `pid` runs (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
