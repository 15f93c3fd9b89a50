// @buildsim/runner: claims builds from a buildsim server and runs them with the docker, shell or simulate executor.
// Named exports only, listed explicitly.

export type { Clock } from "@buildsim/core";
export { systemClock } from "@buildsim/core";
export type { FetchFunction, TransferFetchResponse, TransferRequestInit } from "./artifacts-transfer.js";
export type { AutoExecutorOptions } from "./auto-executor.js";
export { createAutoExecutor, dockerAnswers } from "./auto-executor.js";
export type { DockerExecutorOptions } from "./docker/docker-executor.js";
export { createDockerExecutor } from "./docker/docker-executor.js";
export { defaultServiceAliases, serviceAliases } from "./docker/service-aliases.js";
export type { AbortReason, ExecutionResult, Executor, ExecutorContext } from "./executor.js";
export type { JobCacheStore } from "./job-cache.js";
export { cacheKeyOf } from "./job-cache.js";
export type { JobReaper, ProcessGroupRegistry } from "./job-reaper.js";
export { startJobReaper } from "./job-reaper.js";
export type { NodeHttpFetch, NodeHttpRequestInit, NodeHttpResponse } from "./node-http-fetch.js";
export { createNodeHttpFetch } from "./node-http-fetch.js";
export type { CommandLine } from "./parse-command-line.js";
export { parseCommandLine } from "./parse-command-line.js";
export type { ParseRunnerArgsResult, RunnerCliOptions } from "./parse-runner-args.js";
export { parseRunnerArgs, RUNNER_USAGE } from "./parse-runner-args.js";
export type { SimulateCommand, SimulateCommandError } from "./parse-simulate-command.js";
export { parseSimulateCommand } from "./parse-simulate-command.js";
export type { RunnerCliIo } from "./run-runner-cli.js";
export { RUNNER_VERSION, runRunnerCli } from "./run-runner-cli.js";
export type { SpawnFunction } from "./run-shell-step.js";
export type { Runner, RunnerOptions, StopOptions } from "./runner.js";
export { createRunner } from "./runner.js";
export type { ExecutorKind, ExecutorSetup, SetUpExecutorOptions } from "./set-up-executor.js";
export { runnerKeyOf, setUpExecutor } from "./set-up-executor.js";
export type { ShellExecutorOptions } from "./shell-executor.js";
export { createShellExecutor } from "./shell-executor.js";
export type { SimulateExecutorOptions } from "./simulate-executor.js";
export { createSimulateExecutor } from "./simulate-executor.js";
export { isRunnerEpilogueLine, STEP_SCRIPT_TITLE } from "./trace-lines.js";
