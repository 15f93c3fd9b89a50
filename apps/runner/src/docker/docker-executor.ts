// The docker executor: each job runs in containers of its image, as GitLab Runner's docker executor runs it.
//
//   prepare:  build dir on the host ──▶ image (pull policy) ──▶ network + services (aliases, wait) ──▶ deps
//   steps:    one build container per job, started once per step (after_script: a new shell, same
//             container filesystem), project bind-mounted at /builds/<namespace>/<project>
//   finalize: cache and artifacts from the host's copy of the project directory, as the shell executor
//   cleanup:  every container and the network (labelled with runner key, runner process and build id),
//             the build dir

import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Clock } from "@buildsim/core";
import Docker from "dockerode";
import { currentHttpBaseUrl, type FetchFunction, type ServerUrlSource } from "../artifacts-transfer.js";
import type { Executor } from "../executor.js";
import { downloadDependencies, readJobDotenv, uploadJobArtifacts } from "../job-artifacts.js";
import { type JobCacheStore, restoreJobCaches, saveJobCaches } from "../job-cache.js";
import {
  expandArtifacts,
  expandImages,
  expandJobVariables as expandVariableValues,
} from "../job-variables.js";
import { type BuildDir, prepareBuildDir } from "../prepare-build-dir.js";
import { type JobStageFailure, runJobScript } from "../run-job-script.js";
import {
  BUILD_LABEL,
  buildLabels,
  createRunnerInstance,
  INSTANCE_LABEL,
  type RunnerInstance,
} from "../runner-instance.js";
import { sectionLine } from "../trace-lines.js";
import { containerStepScript } from "./container-script.js";
import { ensureImage, ImagePullError } from "./ensure-image.js";
import {
  isDebugServicesOn,
  type StartedService,
  startServices,
  streamServiceLogs,
  waitForServices,
} from "./job-services.js";
import { removeLabelled } from "./remove-labelled.js";
import { createBuildContainer, runContainerStep } from "./run-container-step.js";

export interface DockerExecutorOptions {
  runnerName: string;
  runnerVersion: string;
  /** Where artifacts are uploaded and downloaded: a URL, or a function giving the server in use now. */
  serverUrl: ServerUrlSource;
  /** Labels every container and network, so a later life of this runner can remove what it left. */
  runnerKey: string;
  /** This runner process: only its own containers are ever removed by it. @default a new one of `runnerKey` */
  instance?: RunnerInstance;
  /** Parent of the per-build directories on the host. @default `<os tmpdir>/buildsim-builds` */
  buildsDir?: string;
  /** @default a client for DOCKER_HOST or the local socket */
  docker?: Docker;
  /** Time between SIGTERM and SIGKILL to an aborted step. @default 1000 */
  killGraceMs?: number;
  /** Runner's `wait_for_services_timeout`. @default 30 */
  waitForServicesTimeoutS?: number;
  /** Where `cache:` archives live; no caching without it. */
  cache?: JobCacheStore;
  /** @default globalThis.fetch */
  fetch?: FetchFunction;
  clock?: Clock;
}

/** The build container runs this file of the script dir at each start; it holds the current step. */
const STEP_SCRIPT = "step.sh";

/** The docker executor (see the file header). */
export function createDockerExecutor(options: DockerExecutorOptions): Executor {
  const docker = options.docker ?? new Docker();
  const buildsDir = options.buildsDir ?? path.join(os.tmpdir(), "buildsim-builds");
  const fetchFn = options.fetch ?? globalThis.fetch;
  // Read at each transfer: a runner that failed over sends artifacts to the server it is on now.
  const baseUrl = () => currentHttpBaseUrl(options.serverUrl);
  const instance = options.instance ?? createRunnerInstance(options.runnerKey);
  return {
    name: "docker",
    async run(context) {
      const { job, trace } = context;
      const labels = buildLabels(instance, job.id);
      // Two processes of one runner may run builds of the same id (two servers): the instance keeps names apart.
      const prefix = `buildsim-${instance.key}-${instance.id}-${job.id}`;
      const projectDir = `/builds/${job.projectPath}`;
      // Image and service names with the job's variables, as Runner expands them (variables within variables too).
      const { image, services } = expandImages(job);
      const env = [
        ...job.variables.map((v) => `${v.key}=${v.value}`),
        `CI_PROJECT_DIR=${projectDir}`,
        "CI_BUILDS_DIR=/builds",
      ];
      // The runner expands variables in `artifacts:paths`, `exclude`, `name` and `reports:*` (as the shell executor).
      const values = {
        ...expandVariableValues(job.variables),
        CI_PROJECT_DIR: projectDir,
        CI_BUILDS_DIR: "/builds",
      };
      const expanded = {
        ...context,
        job: { ...job, artifacts: job.artifacts && expandArtifacts(job.artifacts, values) },
      };
      let dir: BuildDir | null = null;
      let network: string | null = null;
      let started: StartedService[] = [];
      let build: Docker.Container | null = null;
      const containers = new Set<Docker.Container>();
      const track = (container: Docker.Container) => containers.add(container);
      const systemFailure = (summary: string): JobStageFailure => ({
        state: "failed",
        exitCode: null,
        failureReason: "runner_system_failure",
        summary,
      });
      return runJobScript(
        context,
        {
          executor: "docker",
          async prepare(signal) {
            if (!image) return systemFailure("the docker executor needs an image: name one with `image:`");
            trace(`Using Docker executor with image ${image.name} ...\n`);
            try {
              await ensureImage(docker, image.name, image.pullPolicy, trace, signal);
              if (services.length > 0) {
                network = prefix;
                await docker.createNetwork({ Name: network, Labels: labels, CheckDuplicate: true });
                started = await startServices({
                  docker,
                  services,
                  network,
                  namePrefix: prefix,
                  labels,
                  env,
                  trace: (text) => trace(text),
                  signal,
                  track,
                });
                if (isDebugServicesOn(job.variables)) await streamServiceLogs(started, (text) => trace(text));
                await waitForServices(started, network, options.waitForServicesTimeoutS ?? 30, trace, signal);
              }
            } catch (error) {
              if (signal.aborted) return null;
              const message =
                error instanceof ImagePullError
                  ? error.message
                  : `Error response from daemon: ${(error as Error).message}`;
              trace(`ERROR: Preparation failed: ${message}\n`);
              return systemFailure(message);
            }
            trace(sectionLine("Preparing environment"));
            dir = await prepareBuildDir(buildsDir, job.id, job.sourceDir);
            if (job.sourceDir) trace(sectionLine(`Copying sources from ${job.sourceDir}`));
            if (options.cache) await restoreJobCaches(context, options.cache, dir.projectDir);
            return downloadDependencies(context, dir.projectDir, fetchFn, baseUrl(), signal);
          },
          async runStep(step, signal, state) {
            const exports: Record<string, string> =
              step.name === "after_script" && state ? { CI_JOB_STATUS: state } : {};
            await writeFile(
              path.join(dir!.scriptDir, STEP_SCRIPT),
              containerStepScript(step.script, exports),
            );
            build ??= await createBuildContainer({
              docker,
              scriptPath: `${projectDir}.tmp/${STEP_SCRIPT}`,
              create: {
                name: `${prefix}-build`,
                Image: image!.name,
                ...(image!.entrypoint ? { Entrypoint: image!.entrypoint } : {}),
                ...(image!.user ? { User: image!.user } : {}),
                WorkingDir: projectDir,
                Env: env,
                Labels: { ...labels, "com.buildsim.role": "build" },
                HostConfig: {
                  Binds: [`${dir!.projectDir}:${projectDir}`, `${dir!.scriptDir}:${projectDir}.tmp`],
                  ...(network ? { NetworkMode: network } : {}),
                },
              },
              track,
            });
            return runContainerStep({
              container: build,
              trace,
              signal,
              killGraceMs: options.killGraceMs ?? 1000,
            });
          },
          async finalize(state, signal) {
            // Preparation failed before the project existed: nothing to save or upload.
            if (!dir) return null;
            if (options.cache) await saveJobCaches(context, options.cache, dir!.projectDir, state);
            return uploadJobArtifacts(expanded, dir!.projectDir, state, fetchFn, baseUrl(), signal);
          },
          dotenv: () => readJobDotenv(expanded, dir?.projectDir ?? null),
          async cleanup() {
            await Promise.all([...containers].map((c) => c.remove({ force: true, v: true }).catch(() => {})));
            // Anything created but not yet tracked (a create whose answer was cut short) goes by label.
            await removeLabelled(docker, [
              `${INSTANCE_LABEL}=${instance.id}`,
              `${BUILD_LABEL}=${job.id}`,
            ]).catch(() => {});
            if (dir) await dir.remove();
          },
        },
        options,
      );
    },
  };
}
