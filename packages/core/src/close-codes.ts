// The WebSocket close codes buildsim's server sends, each with its meaning and what the peer does next:
// the one table the server, the runner connection, the trace watcher and docs/runner-protocol.md follow.

/** What a peer does after a close: stop for good (an error), reconnect after a backoff, or at once. */
export type CloseReaction = "done" | "stop" | "reconnect" | "reconnect-now";

/** One close code: its stable name, meaning, and the peer's reaction. */
export interface CloseCodeMeaning {
  code: number;
  name: string;
  meaning: string;
  reaction: CloseReaction;
  /** For `stop`: the client's error code (`ClientError.code`) a watcher throws. */
  clientError?: "unauthorized" | "protocol" | "not_found";
}

/** Every close code, in the order docs/runner-protocol.md lists them (4000–4999 are ours). */
export const CLOSE_CODE_TABLE = [
  {
    code: 1000,
    name: "NORMAL",
    meaning: "normal close: the build is complete, or the peer is shutting down",
    reaction: "done",
  },
  { code: 1001, name: "GOING_AWAY", meaning: "the server is going away (restart)", reaction: "reconnect" },
  {
    code: 4000,
    name: "PROTOCOL_ERROR",
    meaning: "protocol error: not JSON, not a known message, or a message before hello",
    reaction: "stop",
    clientError: "protocol",
  },
  {
    code: 4401,
    name: "UNAUTHORIZED",
    meaning: "unknown runner token (or the runner was deleted)",
    reaction: "stop",
    clientError: "unauthorized",
  },
  {
    code: 4404,
    name: "BUILD_DELETED",
    meaning: "the build was deleted with its pipeline; there is nothing more to watch",
    reaction: "stop",
    clientError: "not_found",
  },
  {
    code: 4408,
    name: "WATCHER_TOO_SLOW",
    meaning: "the watcher did not keep up; reconnect from the bytes it has",
    reaction: "reconnect-now",
  },
  {
    code: 4426,
    name: "UNSUPPORTED_PROTOCOL",
    meaning: "the runner speaks another protocol version",
    reaction: "stop",
    clientError: "protocol",
  },
] as const satisfies readonly CloseCodeMeaning[];

type CloseEntry = (typeof CLOSE_CODE_TABLE)[number];
/** The stable name of a close code that stops the peer (`UNAUTHORIZED`, …). */
export type FatalCloseName = Extract<CloseEntry, { reaction: "stop" }>["name"];

/** Close codes by name, for senders: `CLOSE_CODES.UNAUTHORIZED` is 4401. */
export const CLOSE_CODES = Object.fromEntries(CLOSE_CODE_TABLE.map((e) => [e.name, e.code])) as {
  readonly [E in CloseEntry as E["name"]]: E["code"];
};

const BY_CODE = new Map<number, CloseCodeMeaning>(CLOSE_CODE_TABLE.map((e) => [e.code, e]));

/** What a close code means, or undefined for one buildsim never sends (treated as a dropped connection). */
export function closeCodeMeaning(code: number): CloseCodeMeaning | undefined {
  return BY_CODE.get(code);
}
