// The one error class of the runner connection, with a stable code per way it can fail.

/**
 * Stable codes of {@link RunnerConnectionError}:
 * - `UNAUTHORIZED`: the server closed with 4401 (unknown runner token); the connection stops.
 * - `UNSUPPORTED_PROTOCOL`: the server closed with 4426 (another protocol version); the connection stops.
 * - `PROTOCOL_ERROR`: the server closed with 4000 (it could not read a message); the connection stops.
 * - `DISCONNECTED`: the socket closed while a claim waited for its answer (the claim may be retried).
 * - `CLOSED`: `close()` was called.
 * - `BUILD_NOT_HELD`: the server no longer holds this build for this runner (found after a reconnect, or
 *   told by `cancel {reason: "deleted"}` when its pipeline was deleted).
 * - `TRACE_LOST`: the server acknowledged fewer bytes than it had acknowledged before, or more than were
 *   written; the bytes are gone, so the build's trace cannot be completed.
 * - `UNKNOWN_BUILD`: trace or finish for a build the connection does not track.
 * - `BUILD_FINISHING`: trace written after `finish()` was called.
 */
export type RunnerConnectionErrorCode =
  | "UNAUTHORIZED"
  | "UNSUPPORTED_PROTOCOL"
  | "PROTOCOL_ERROR"
  | "DISCONNECTED"
  | "CLOSED"
  | "BUILD_NOT_HELD"
  | "TRACE_LOST"
  | "UNKNOWN_BUILD"
  | "BUILD_FINISHING";

/** Why the runner connection could not do what was asked; `code` is stable, `message` is for people. */
export class RunnerConnectionError extends Error {
  readonly code: RunnerConnectionErrorCode;

  constructor(code: RunnerConnectionErrorCode, message: string) {
    super(message);
    this.name = "RunnerConnectionError";
    this.code = code;
  }
}
