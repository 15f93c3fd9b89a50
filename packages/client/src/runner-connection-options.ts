// Options of the runner connection and the outcome a runner reports for a build.

import type { Clock, FailureReason } from "@buildsim/core";
import type { RunnerSocketConstructor } from "./runner-socket.js";

/** Options of {@link createRunnerConnection}. */
export interface RunnerConnectionOptions {
  /**
   * The server's base URL (`http(s)://` or `ws(s)://`); the runner path is appended. Give `url`, `urls`
   * or both (then `url` is tried first).
   */
  url?: string;
  /**
   * Servers sharing one database, tried in order: the connection stays on the one it reached and moves to
   * the next only when its link is lost or an attempt fails, wrapping around, with the usual backoff.
   * A list is buildsim's addition: GitLab Runner takes one `url` per runner.
   */
  urls?: readonly string[];
  /** The runner token (`runners.token`). */
  token: string;
  name?: string;
  version?: string;
  executor?: string;
  /** Tags sent in hello; the server hands this runner only builds whose tags it has. */
  tags?: string[];
  /** WebSocket constructor. @default `WebSocket` from `ws` */
  WebSocket?: RunnerSocketConstructor;
  /** First reconnect delay; doubles per failed attempt. @default 500 */
  reconnectDelayMs?: number;
  /** Upper bound of the reconnect delay. @default 15000 */
  maxReconnectDelayMs?: number;
  /** Jitter source in [0, 1): the delay used is between half and all of the backoff. @default Math.random */
  random?: () => number;
  /**
   * A server that sends nothing (no message, no answer to the ping sent at each heartbeat) for this long
   * is taken for gone (hung, or its machine unplugged): the link is cut and the next server is tried.
   * Checked at each heartbeat; needs a socket with `ping` (`ws`'s). 0 never gives up. @default 15000
   */
  serverSilenceTimeoutMs?: number;
  /** How long a server that accepted the socket may take to answer hello with welcome. 0 waits for ever. @default 10000 */
  welcomeTimeoutMs?: number;
  /** Heartbeat period; overrides the server's `welcome.heartbeatIntervalMs`. @default the server's */
  heartbeatIntervalMs?: number;
  /** Largest trace payload per message, before base64. @default 65536 */
  maxTraceChunkBytes?: number;
  /**
   * Unacknowledged trace bytes kept in memory per build; past it, new bytes spill to an unlinked temporary
   * file until the server has acknowledged everything (a server outage no longer grows the runner's
   * memory without limit). @default 8388608 (8 MiB)
   */
  maxTraceMemoryBytes?: number;
  /** Where spill files go. @default the OS temp dir */
  traceSpillDir?: string;
  /** Request id generator for claims. @default a counter */
  createRequestId?: () => string;
  /** Timers for reconnect backoff and heartbeats, injectable so tests move time instead of waiting. @default core's `systemClock` */
  clock?: Clock;
}

/** How a build ended on the runner, as reported by `finish`. */
export interface BuildOutcome {
  state: "success" | "failed";
  exitCode: number | null;
  failureReason?: FailureReason;
  /** Variables from `artifacts:reports:dotenv`. */
  dotenvVariables?: Array<{ key: string; value: string }>;
}
