// Test helper: a throwaway git repository holding `files`, run through `buildsim run` with a real server,
// runner and bash, then read back from the SQLite store the run left behind.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Build, Pipeline } from "@buildsim/core";
import { createStore } from "@buildsim/server";
import { runRunCommand } from "../run-command.js";

export interface RunResult {
  code: number;
  /** Everything the command printed (stdout and stderr interleaved). */
  out: string;
  /** Every build in creation order (retried ones included). */
  builds: Build[];
  /** Every pipeline in creation order. */
  pipelines: Pipeline[];
  /** The trace of the latest build of each name. */
  trace(name: string): string;
  /** The repository the run used. */
  repo: string;
}

const dirs: string[] = [];

/** Removes every repository `runPipeline` made; call from `afterEach`. */
export function removeRunRepos(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Writes `files` into a fresh git repository (one commit on `main`) and returns its path. */
export function makeRepo(files: Record<string, string>): string {
  const repo = mkdtempSync(path.join(tmpdir(), "buildsim-run-"));
  dirs.push(repo);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    writeFileSync(path.join(repo, name), text);
  }
  const git = (...a: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@x", ...a], { cwd: repo });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-qm", "test");
  return repo;
}

/** What a test does against the API while `buildsim run --keep` serves it after the pipeline. */
export type WhileServing = (api: { url: string; token: string }) => Promise<void>;

/**
 * Runs `buildsim run` in `repo` (or a new one with `files`) and reads back what it stored. With
 * `whileServing`, the run keeps serving (`--keep`) until that function has finished with the API.
 */
export async function runPipeline(
  files: Record<string, string> | { repo: string },
  args: string[] = [],
  whileServing?: WhileServing,
): Promise<RunResult> {
  const repo =
    "repo" in files && typeof files.repo === "string"
      ? files.repo
      : makeRepo(files as Record<string, string>);
  let out = "";
  const io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (out += s) },
    cwd: repo,
    untilInterrupted: async () => {
      const serving = /serving (\S+) .*PRIVATE-TOKEN: (\S+)/.exec(out);
      if (!serving || !whileServing) throw new Error(`not serving:\n${out}`);
      await whileServing({ url: serving[1]!, token: serving[2]! });
    },
  };
  const keep = whileServing ? ["--keep"] : [];
  const code = await runRunCommand(["--data", ".buildsim", "--concurrent", "4", ...keep, ...args], io);
  // The data dir the run used: the last --data given (tests may share one between runs).
  const dataArg = args.lastIndexOf("--data");
  const store = createStore({ dataDir: path.resolve(repo, dataArg >= 0 ? args[dataArg + 1]! : ".buildsim") });
  try {
    const builds = store.db.prepare("SELECT id FROM builds ORDER BY id").all() as { id: number }[];
    const all = builds.map((b) => store.builds.get(b.id)!);
    const pipelineIds = store.db.prepare("SELECT id FROM pipelines ORDER BY id").all() as { id: number }[];
    const pipelines = pipelineIds.map((p) => store.pipelines.get(p.id)!);
    const traces = new Map(
      all.filter((b) => !b.retried).map((b) => [b.name, store.traces.read(b.id).toString("utf8")]),
    );
    return { code, out, builds: all, pipelines, trace: (name) => traces.get(name) ?? "", repo };
  } finally {
    store.close();
  }
}

/** `name:status` of every build, in creation order. */
export const statuses = (r: RunResult): string[] => r.builds.map((b) => `${b.name}:${b.status}`);
