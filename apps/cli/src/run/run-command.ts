// `buildsim run`: a .gitlab-ci.yml pipeline, run locally with GitLab's semantics and watched live.
//
//   work tree ──▶ server (SQLite in .buildsim/) ──createPipeline──▶ builds
//                    ▲  │ events + traces (WebSocket), reads (HTTP)    │ claim over WebSocket
//                    │  └──▶ board (stages, jobs, log lines)           ▼
//                    └──────── trace, finish ◀────────── runner (shell|simulate, N slots)
//
// The board is a client of the server like any other (@buildsim/client); only the set-up before the
// pipeline (the local project, its variables file, the runner record, the pipeline's creation) goes
// through the server's handle (`server.local`), never its wiring or store.
//
// Exits 0 only when the pipeline succeeded. With --keep the server stays up to be inspected via the API.

import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import {
  createChangesCheck,
  createDirectoryReader,
  createExistsCheck,
  formatProblem,
  listRepositoryFiles,
  loadCiConfigAsync,
  pipelineVariables,
} from "@buildsim/ci-config";
import { type Client, createClient } from "@buildsim/client";
import { createNodeHttpFetch } from "@buildsim/runner";
import { type RunningServer, startServer } from "@buildsim/server";
import { createIncludeSources } from "../include-flags.js";
import { type BoardOutput, createBoard } from "./board.js";
import { readChangedPaths } from "./changed-paths.js";
import { readGitProject } from "./git-project.js";
import { createJobOutputFilter, type JobOutputFilter } from "./job-output-filter.js";
import { loadVariablesFile } from "./load-variables-file.js";
import { createLocalRunner, type LocalRunner } from "./local-runner.js";
import { parseRunArgs, RUN_USAGE } from "./parse-run-args.js";
import { type ManualJob, watchPipeline } from "./pipeline-watcher.js";
import { formatTestSummary } from "./test-summary.js";

export interface RunCommandIo {
  stdout: BoardOutput;
  stderr: { write(text: string): unknown };
  cwd: string;
  /** The runner beside the server. @default `createLocalRunner` */
  createRunner?: () => LocalRunner;
  /** Resolves when the user asks to stop serving (--keep). @default SIGINT/SIGTERM */
  untilInterrupted?: () => Promise<void>;
  /** Where SIGINT/SIGTERM arrive during the run. @default process */
  signals?: Pick<NodeJS.Process, "on" | "off">;
  /** Exits at once (a second Ctrl-C). @default process.exit */
  exit?: (code: number) => void;
}

// ANSI escape sequences, stripped from job output when the terminal shows no colour.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

const interrupted = () =>
  new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });

/** `rules:changes` asks git only when a rule uses it (three git processes most pipelines never need). */
function lazyChanges(projectDir: string, isGit: boolean): (globs: readonly string[]) => boolean {
  let check: ((globs: readonly string[]) => boolean) | null = null;
  return (globs) => {
    check ??= createChangesCheck(readChangedPaths(projectDir, isGit));
    return check(globs);
  };
}

/**
 * Cancels the pipeline and every downstream pipeline it started (multi-project ones too, which GitLab's
 * pipeline cancel leaves alone), then its manual jobs, which that cancel leaves alone as well. A manual
 * trigger job stays manual: GitLab's API cancels jobs only (`find_job!` finds no bridge).
 */
async function cancelPipelineTree(client: Client, projectId: number, pipelineId: number): Promise<void> {
  const tree = [{ projectId, pipelineId }];
  for (let i = 0; i < tree.length; i++) {
    const { projectId: project, pipelineId: id } = tree[i]!;
    await client.v4.pipelines.cancel(project, id);
    const { jobs } = await client.buildsim.pipelineJobs(project, id);
    for (const job of jobs) {
      if (job.downstream_pipeline)
        tree.push({ projectId: job.downstream_pipeline.project_id, pipelineId: job.downstream_pipeline.id });
      else if (!job.retried && !job.trigger && job.status === "manual")
        await client.v4.jobs.cancel(project, job.id);
    }
  }
}

/** Runs `buildsim run` with `argv` (after `run`); resolves with the exit code. */
export async function runRunCommand(argv: readonly string[], io: RunCommandIo): Promise<number> {
  const parsed = parseRunArgs(argv);
  if (parsed.ok === "help") {
    io.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  if (!parsed.ok) {
    io.stderr.write(`buildsim run: ${parsed.error}\nsee 'buildsim run --help'\n`);
    return 2;
  }
  const o = parsed.options;
  const file = path.resolve(io.cwd, o.file);
  const projectDir = path.dirname(file);
  if (!existsSync(file)) {
    io.stderr.write(
      `buildsim run: no CI file at ${path.relative(io.cwd, file) || file}: create a .gitlab-ci.yml or name one with --file\n`,
    );
    return 1;
  }
  // A run that cannot even create its pipeline (a YAML error, say) leaves no data directory behind.
  const dataDir = path.resolve(io.cwd, o.dataDir);
  const dataDirExisted = existsSync(dataDir);
  // git runs in its own processes: start it, then do this thread's work (the server) meanwhile.
  const reading = readGitProject(projectDir, o.ref ? { ref: o.ref } : {});
  const name = path.basename(projectDir).replace(/[^A-Za-z0-9_.-]/g, "-") || "project";
  const localRunner = (io.createRunner ?? createLocalRunner)();
  const errors: string[] = [];
  let server: RunningServer;
  try {
    server = await startServer({
      dataDir,
      ...(o.db === null ? {} : { db: o.db }),
      port: o.port,
      log: (line) => errors.push(line),
    });
  } catch (error) {
    // PostgreSQL out of reach, say: the artifacts directory the store made is left empty.
    if (!dataDirExisted) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  let git: Awaited<typeof reading>;
  try {
    git = await reading;
  } catch (error) {
    await server.close();
    throw error;
  }
  if (!git.isGit)
    io.stderr.write(
      `note: ${projectDir} ${git.snapshotReason}: running it as branch "${git.ref}" at commit ${git.commit.sha.slice(0, 8)}, with every rules:changes true\n`,
    );
  let keepDataDir = true;
  try {
    const project = server.local.registerProject({
      pathWithNamespace: `local/${name}`,
      name,
      sourceDir: projectDir,
      // GitLab's CI_DEFAULT_BRANCH is the repository's default branch, never the ref being run.
      defaultBranch: git.defaultBranch,
      ownerId: server.adminUserId,
    });
    // `--project` repositories become projects of this server, which serves their files to includes.
    for (const extra of o.include.projects) {
      const dir = path.resolve(io.cwd, extra.dir);
      const extraGit = await readGitProject(dir, {}).catch(() => null);
      server.local.registerProject({
        pathWithNamespace: extra.path,
        name: extra.path.split("/").pop()!,
        sourceDir: dir,
        defaultBranch: extraGit?.defaultBranch ?? "main",
        ownerId: server.adminUserId,
      });
    }
    const dataDir = path.resolve(io.cwd, o.dataDir);
    const variablesFile = o.variablesFile
      ? path.resolve(io.cwd, o.variablesFile)
      : path.join(dataDir, "variables.yml");
    const fileVariables = loadVariablesFile(
      variablesFile,
      path.relative(io.cwd, variablesFile) || variablesFile,
      o.variablesFile !== null,
      project.id,
    );
    if (!fileVariables.ok) {
      io.stderr.write(fileVariables.errors.map((e) => `${e}\n`).join(""));
      return 1;
    }
    const fromFile = fileVariables.variables;
    // The file is the whole truth about the project's variables; without one, stored ones stay.
    if (fromFile) server.replaceProjectVariables(project.id, fromFile);
    const fetchSources = createIncludeSources({
      flags: o.include,
      cwd: io.cwd,
      projectDir,
      localApi: { url: server.url, token: server.token },
      cacheDir: path.join(dataDir, "includes"),
    });
    if ("error" in fetchSources) {
      io.stderr.write(`buildsim run: ${fetchSources.error}\nsee 'buildsim run --help'\n`);
      keepDataDir = dataDirExisted;
      return 2;
    }
    const readFile = createDirectoryReader(projectDir);
    const exists = createExistsCheck(projectDir);
    const changes = lazyChanges(projectDir, git.isGit);
    let files: string[] | null = null;
    const listFiles = () => (files ??= listRepositoryFiles(projectDir));
    // Includes are fetched before the pipeline is created (creation is one synchronous transaction).
    const includes = await loadCiConfigAsync(
      {
        readFile,
        entryFile: path.basename(file),
        listFiles,
        exists,
        changes,
        variables: {
          ...pipelineVariables({
            ref: git.ref,
            tag: git.tag,
            source: "push",
            sha: git.commit.sha,
            commitMessage: git.commit.message,
            defaultBranch: project.defaultBranch,
            projectPath: project.pathWithNamespace,
            exists,
            changes,
          }),
          ...o.variables,
        },
      },
      fetchSources,
    );
    if (!includes.config) {
      io.stderr.write(includes.problems.map((p) => `${formatProblem(p)}\n`).join(""));
      keepDataDir = dataDirExisted;
      return 1;
    }
    const created = server.local.createPipeline({
      project,
      commit: { ...git.commit, projectId: project.id },
      ref: git.ref,
      tag: git.tag,
      beforeSha: git.commit.parentIds[0] ?? null,
      source: "push",
      userId: server.adminUserId,
      variables: o.variables,
      readFile,
      entryFile: path.basename(file),
      exists,
      changes,
      includeSources: includes.sources,
      listFiles,
      onlyJobs: o.jobs,
    });
    if (!created.created) {
      if (created.unknownJobs) {
        const { unknown, known } = created.unknownJobs;
        const names = unknown.map((n) => JSON.stringify(n)).join(", ");
        io.stderr.write(
          `buildsim run: no job ${names} in ${path.basename(file)}; its jobs are: ${known.join(", ")}\n`,
        );
        return 2;
      }
      io.stderr.write(`${created.errors.map((e) => `${e}\n`).join("")}`);
      keepDataDir = dataDirExisted;
      return 1;
    }
    for (const warning of created.warnings) io.stderr.write(`warning: ${warning}\n`);
    const manualNames = new Set(created.builds.filter((b) => b.when === "manual").map((b) => b.name));
    const unknownManual = o.manual.filter((name) => !manualNames.has(name));
    if (unknownManual.length > 0) {
      io.stderr.write(
        `buildsim run: --manual ${unknownManual.map((n) => `"${n}"`).join(", ")} names no manual job of this pipeline; its manual jobs are: ${[...manualNames].join(", ") || "(none)"}\nsee 'buildsim run --help'\n`,
      );
      keepDataDir = dataDirExisted;
      return 2;
    }
    if (server.webUiUrl) {
      // Watch it live in a browser (sign in with the token; --keep keeps the page working afterwards).
      io.stdout.write(
        `UI: ${server.url}/${project.pathWithNamespace}/-/pipelines/${created.pipeline.id} (token ${server.token})\n`,
      );
    }

    const tags = [...new Set(created.builds.flatMap((b) => b.tagList))];
    const client = createClient({ baseUrl: server.url, token: server.token, fetch: createNodeHttpFetch() });
    const runnerRecord = server.local.ensureRunner(tags);
    const board = createBoard({ out: io.stdout, executorOf: (id) => localRunner.executorOf(id) });
    const manual = new Set(o.manual);
    const filters = new Map<string, JobOutputFilter>();
    const watch = watchPipeline({
      client,
      projectId: project.id,
      pipelineId: created.pipeline.id,
      onChange: (state) => board.update(state),
      onLine: (job, line) => {
        const show = filters.get(job) ?? createJobOutputFilter(o.verbose);
        filters.set(job, show);
        const text = io.stdout.isTTY ? line : line.replace(ANSI, "");
        if (show(text.replace(ANSI, ""))) board.log(job, text);
      },
      onManual: (job: ManualJob) =>
        manual.has(job.name) ? client.v4.jobs.play(job.projectId, job.id) : null,
    });

    // Ctrl-C or SIGTERM cancels the pipeline: jobs are killed, their containers removed, the board shows
    // them canceled, and the command exits 130. A second one exits at once, killing the job groups first
    // (the runner's reaper removes containers when this process is gone).
    let interruptedBySignal = false;
    const onSignal = () => {
      if (interruptedBySignal) {
        localRunner.killNow();
        (io.exit ?? process.exit)(130);
        return;
      }
      interruptedBySignal = true;
      // The downstream pipelines this run started stop with it.
      // The board settles only once every cancel has landed (a canceled pipeline's manual jobs come last).
      watch.hold(
        cancelPipelineTree(client, project.id, created.pipeline.id).catch((error: unknown) =>
          errors.push(`buildsim run: canceling the pipeline failed: ${(error as Error).message}`),
        ),
      );
    };
    const signals = io.signals ?? process;
    signals.on("SIGINT", onSignal);
    signals.on("SIGTERM", onSignal);
    let final: Awaited<typeof watch.done>;
    // Once a second the live board moves on by itself: durations, and delayed jobs counting down.
    const ticker = setInterval(() => board.tick(), 1000);
    ticker.unref();
    try {
      await localRunner.start({
        url: server.url,
        token: runnerRecord.token,
        concurrent: o.concurrent,
        executor: o.executor,
        tags,
        cacheDir: path.join(path.resolve(io.cwd, o.dataDir), "cache"),
      });
      final = await watch.done;
    } finally {
      clearInterval(ticker);
      signals.off("SIGINT", onSignal);
      signals.off("SIGTERM", onSignal);
    }
    board.finish(final);
    io.stdout.write(formatTestSummary(await client.v4.pipelines.testReport(project.id, created.pipeline.id)));
    await localRunner.stop();
    for (const line of errors) io.stderr.write(`${line}\n`);
    if (o.keep) {
      io.stdout.write(
        `\nserving ${server.url} (project ${project.id}, pipeline ${created.pipeline.id}); PRIVATE-TOKEN: ${server.token}\nCtrl-C to stop\n`,
      );
      await (io.untilInterrupted ?? interrupted)();
    }
    if (interruptedBySignal) return 130;
    return final.status === "success" ? 0 : 1;
  } finally {
    await localRunner.stop();
    await server.close();
    if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
