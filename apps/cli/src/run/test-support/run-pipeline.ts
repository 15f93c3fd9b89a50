// Test helper: a throwaway git repository with the given files, `buildsim run` on it, and what it left in
// the store (builds, raw and masked traces).

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Build } from "@buildsim/core";
import { createStore, maskSecrets, traceSecretsOf } from "@buildsim/server";
import { runRunCommand } from "../run-command.js";

export interface PipelineRun {
  code: number;
  /** What the command printed (stdout and stderr interleaved). */
  out: string;
  builds: Build[];
  /** The stored trace of the latest build named `name`, as the API shows it (masked). */
  trace(name: string): string;
  /** The same trace as stored. */
  rawTrace(name: string): string;
}

const dirs: string[] = [];

/** Removes every repository made so far (call in `afterEach`). */
export function removeRepos(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/**
 * Commits `files` on branch `branch` of a new repository (after `setup(git)`, e.g. to add a remote), runs
 * `buildsim run` there with `args`, and reads the store.
 */
export async function runPipeline(
  files: Record<string, string>,
  args: string[] = [],
  options: { branch?: string; setup?: (git: (...a: string[]) => Buffer) => void } = {},
): Promise<PipelineRun> {
  const repo = mkdtempSync(path.join(tmpdir(), "buildsim-run-"));
  dirs.push(repo);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    writeFileSync(path.join(repo, name), text);
  }
  const git = (...a: string[]) =>
    execFileSync("git", ["-c", "user.name=Ada", "-c", "user.email=ada@example.com", ...a], { cwd: repo });
  git("init", "-q", "-b", options.branch ?? "main");
  git("add", ".");
  git("commit", "-qm", "Add login\n\nWith a description");
  options.setup?.(git);
  let out = "";
  const io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (out += s) },
    cwd: repo,
  };
  const code = await runRunCommand(["--data", ".buildsim", "--concurrent", "4", ...args], io);
  const store = createStore({ dataDir: path.join(repo, ".buildsim") });
  try {
    const ids = store.db.prepare("SELECT id FROM builds ORDER BY id").all() as { id: number }[];
    const builds = ids.map((b) => store.builds.get(b.id)!);
    const latest = new Map(builds.filter((b) => !b.retried).map((b) => [b.name, b]));
    const raw = new Map([...latest].map(([name, b]) => [name, store.traces.read(b.id)]));
    const masked = new Map(
      [...latest].map(([name, b]) => [name, maskSecrets(raw.get(name)!, traceSecretsOf(store, b.id))]),
    );
    return {
      code,
      out,
      builds,
      trace: (name) => masked.get(name)?.toString("utf8") ?? "",
      rawTrace: (name) => raw.get(name)?.toString("utf8") ?? "",
    };
  } finally {
    store.close();
  }
}
