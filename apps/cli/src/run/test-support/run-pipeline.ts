// Test helper: a throwaway git repository holding `files`, run through `buildsim run` with a real server,
// runner and bash, then read back from the store the run left behind (SQLite, or PostgreSQL in the suite's
// `postgres` project; and, for masked traces, from the API of a server started on it).

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@buildsim/client";
import type { Build, Pipeline } from "@buildsim/core";
import { type Store, startServer } from "@buildsim/server";
import { runRunCommand } from "../run-command.js";
import { openRunStore, runDatabaseArgs, runServerOptions } from "./run-database.js";

export interface RunResult {
  code: number;
  /** Everything the command printed (stdout and stderr interleaved). */
  out: string;
  /** Every build in creation order (retried ones included). */
  builds: Build[];
  /** Every pipeline in creation order. */
  pipelines: Pipeline[];
  /** The trace of the latest build of each name, as stored. */
  trace(name: string): string;
  /** The same trace as the API shows it (tokens and masked variables masked), read from the API. */
  maskedTrace(name: string): Promise<string>;
  /** The repository the run used. */
  repo: string;
}

const dirs: string[] = [];

/** Removes every repository `runPipeline` made; call from `afterEach`. */
export function removeRunRepos(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** How `makeRepo` commits: the branch, and git commands to run after the commit (a remote, say). */
export interface RepoOptions {
  /** @default "main" */
  branch?: string;
  setup?: (git: (...a: string[]) => Buffer) => void;
}

/** Writes `files` into a fresh git repository (one commit on `main`) and returns its path. */
export function makeRepo(files: Record<string, string>, options: RepoOptions = {}): string {
  const repo = mkdtempSync(path.join(tmpdir(), "buildsim-run-"));
  dirs.push(repo);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    writeFileSync(path.join(repo, name), text);
  }
  const git = (...a: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@x", ...a], { cwd: repo });
  git("init", "-q", "-b", options.branch ?? "main");
  git("add", ".");
  git("commit", "-qm", "test");
  options.setup?.(git);
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
  options: RepoOptions = {},
): Promise<RunResult> {
  const repo =
    "repo" in files && typeof files.repo === "string"
      ? files.repo
      : makeRepo(files as Record<string, string>, options);
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
  // The data dir the run uses: the last --data given (tests may share one between runs).
  const dataArg = args.lastIndexOf("--data");
  const dataDir = path.resolve(repo, dataArg >= 0 ? args[dataArg + 1]! : ".buildsim");
  const code = await runRunCommand(
    ["--data", ".buildsim", ...runDatabaseArgs(dataDir), "--concurrent", "4", ...keep, ...args],
    io,
  );
  const store = openRunStore(dataDir);
  try {
    const { pipelines, builds: all } = storedRecords(store);
    const latest = all.filter((b) => !b.retried);
    const traces = new Map(latest.map((b) => [b.name, store.traces.read(b.id)]));
    const maskedTrace = async (name: string) => {
      const build = latest.find((b) => b.name === name);
      if (!build) return "";
      const server = await startServer({
        ...runServerOptions(dataDir),
        webUiDir: false,
        controls: false,
        log: () => {},
      });
      try {
        return await createClient({ baseUrl: server.url, token: server.token }).v4.jobs.trace(
          build.projectId,
          build.id,
        );
      } finally {
        await server.close();
      }
    };
    return {
      code,
      out,
      builds: all,
      pipelines,
      trace: (name) => traces.get(name)?.toString("utf8") ?? "",
      maskedTrace,
      repo,
    };
  } finally {
    store.close();
  }
}

/** Every stored pipeline and build, each in creation (id) order. */
export function storedRecords(store: Store): { pipelines: Pipeline[]; builds: Build[] } {
  const pipelines = store.projects
    .list()
    .flatMap((p) =>
      store.pipelines.list(
        { projectId: p.id, statuses: null, orderBy: "id", descending: false },
        Number.MAX_SAFE_INTEGER,
        0,
      ),
    )
    .sort((a, b) => a.id - b.id);
  const builds = pipelines.flatMap((p) => store.builds.listByPipeline(p.id)).sort((a, b) => a.id - b.id);
  return { pipelines, builds };
}

/** `name:status` of every build, in creation order. */
export const statuses = (r: RunResult): string[] => r.builds.map((b) => `${b.name}:${b.status}`);
