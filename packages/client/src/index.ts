export {
  type BuildOutcome,
  createRunnerConnection,
  RunnerConnection,
  RunnerConnectionError,
  type RunnerConnectionErrorCode,
  type RunnerConnectionOptions,
  type RunnerSocket,
  type RunnerSocketConstructor,
} from "./runner-connection.js";
