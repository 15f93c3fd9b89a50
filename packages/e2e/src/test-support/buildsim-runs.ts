// `buildsim run` processes for the docker suites: a project directory per test, the run's output as it
// prints, and what a run may leave behind (labelled containers and networks, job processes).

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { postgresDatabaseFor } from "../../../../scripts/test-database.mjs";

const CLI = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../apps/cli/dist/buildsim.mjs",
);

/** A started `buildsim run`: `output` grows as it prints, `exit` resolves with its code. */
export interface BuildsimRun {
  child: ChildProcess;
  output: string;
  exit: Promise<number | null>;
}

/** A project: its directory and the data dir its runs use. */
export interface TestProject {
  dir: string;
  data: string;
}

/** Containers and networks any buildsim runner labelled, as `docker … -q` lists them. */
export function leftovers(): { containers: string; networks: string } {
  const list = (args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim();
  return {
    containers: list(["ps", "-aq", "--filter", "label=com.buildsim.runner"]),
    networks: list(["network", "ls", "-q", "--filter", "label=com.buildsim.runner"]),
  };
}

/** The command lines of running processes that contain `marker`. */
export function processesMatching(marker: string): string[] {
  return execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes(marker) && !line.includes("ps -eo"));
}

/** Resolves once `check` passes; rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The run's exit code; if it has not exited within `timeoutMs`, fails with what it printed so far. */
export async function exitOf(run: BuildsimRun, timeoutMs = 60_000): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`buildsim run did not exit within ${timeoutMs} ms; it printed:\n${run.output}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([run.exit, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Projects under `work` and `buildsim run` processes on them; `killAll` in afterEach. */
export function createBuildsimRuns(work: string) {
  const children = new Set<ChildProcess>();
  let counter = 0;
  return {
    /** The last project's directory name (`local/<name>` is its path). */
    lastName: () => `p${counter}`,
    /** A project directory with `yaml` as its CI file (and `files`), with a data dir of its own unless given. */
    project(yaml: string, dataDir?: string, files: Record<string, string> = {}): TestProject {
      const dir = path.join(work, `p${++counter}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, ".gitlab-ci.yml"), yaml);
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
      return { dir, data: dataDir ?? path.join(work, `data${counter}`) };
    },
    /** Starts `buildsim run` in the project with `--verbose` (the runner's own lines are what tests read). */
    start(p: TestProject, executor = "docker", extraArgs: string[] = []): BuildsimRun {
      // In the `postgres` project the run keeps its records in a schema of the data directory's own.
      const db = postgresDatabaseFor(path.resolve(p.data), "run");
      const dbArgs = db === undefined ? [] : ["--db", db];
      const args = [
        CLI,
        "run",
        "--data",
        p.data,
        ...dbArgs,
        "--executor",
        executor,
        "--verbose",
        ...extraArgs,
      ];
      const child = spawn(process.execPath, args, { cwd: p.dir, stdio: ["ignore", "pipe", "pipe"] });
      children.add(child);
      const run: BuildsimRun = { child, output: "", exit: Promise.resolve(null) };
      child.stdout!.on("data", (chunk: Buffer) => (run.output += chunk.toString()));
      child.stderr!.on("data", (chunk: Buffer) => (run.output += chunk.toString()));
      run.exit = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
      return run;
    },
    killAll() {
      for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
      children.clear();
    },
  };
}
