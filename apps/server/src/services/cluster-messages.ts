// What the servers of a cluster tell each other, one topic per kind of committed change. Bodies are ids,
// offsets and statuses: the receiver reads what it needs from the shared store, so every message fits
// PostgreSQL's NOTIFY payload (MAX_CLUSTER_MESSAGE_BYTES) whatever the trace or pipeline size. The one
// content carried is a trace append's bytes when it is not large (INLINE_TRACE_APPEND_BYTES, in pieces
// of INLINE_TRACE_BYTES): a live log's usual chunks reach the other servers' watchers without each of
// them reading them back from the database.

import type { BuildStatus, CancelReason } from "@buildsim/core";
import type { CommittedChange } from "../store/change-log.js";

/** Every topic with its body. */
export interface ClusterMessageMap {
  /** A commit's changes, for the other servers' read caches. */
  changes: CommittedChange;
  /** Trace bytes [o, l) of build `b` were committed; `d`: those bytes in base64, when they are few. */
  trace: { b: number; o: number; l: number; d?: string };
  /** Build `i` of project `p` changed; now in status `s`. */
  build: { i: number; p: number; s: BuildStatus };
  /** Pipeline `i` of project `p` changed. */
  pipeline: { i: number; p: number };
  /** Runner `r` must stop build `b` (`why`: the cancel's reason). */
  cancel: { b: number; r: number; why: CancelReason };
  /** Pipeline `i` of project `p` was deleted with these builds (`[id, runnerId]`; one slice of them). */
  deleted: { i: number; p: number; bs: Array<[number, number | null]> };
  /** Runner `r` was deleted. */
  runnerDeleted: { r: number };
  /** Builds runners vouched for (seen, confirmed) or the server plays itself, since the last report. */
  alive: { s: number[]; c: number[]; v: number[] };
}

export type ClusterTopic = keyof ClusterMessageMap;

/**
 * Most trace bytes one message carries: base64 makes 4,096 bytes 5,464 characters, under
 * MAX_CLUSTER_MESSAGE_BYTES with the envelope.
 */
export const INLINE_TRACE_BYTES = 4096;

/**
 * Largest trace append whose bytes ride along, in messages of INLINE_TRACE_BYTES each: a live log's
 * batch (a runner's lines, joined while the previous batch was stored) reaches the other servers'
 * watchers without a read of the database on each of them, which would block its event loop for a
 * round trip. A larger append is announced by offsets only and read from the store by the receiver.
 */
export const INLINE_TRACE_APPEND_BYTES = 64 * INLINE_TRACE_BYTES;

/**
 * The `trace` messages announcing bytes [offset, offset + data.length) of build `buildId`: the bytes in
 * pieces of INLINE_TRACE_BYTES, or the offsets alone past INLINE_TRACE_APPEND_BYTES (read from the store).
 */
export function traceMessages(
  buildId: number,
  offset: number,
  data: Uint8Array,
): Array<ClusterMessageMap["trace"]> {
  const end = offset + data.byteLength;
  if (data.byteLength > INLINE_TRACE_APPEND_BYTES) return [{ b: buildId, o: offset, l: end }];
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out: Array<ClusterMessageMap["trace"]> = [];
  for (let at = 0; at < bytes.byteLength; at += INLINE_TRACE_BYTES) {
    const piece = bytes.subarray(at, at + INLINE_TRACE_BYTES);
    const o = offset + at;
    out.push({ b: buildId, o, l: o + piece.byteLength, d: piece.toString("base64") });
  }
  return out;
}

/** Builds per `deleted` message, and ids per `alive` list: well under the payload limit. */
export const IDS_PER_MESSAGE = 300;

/** `items` in slices of at most `size` (none for an empty list). */
export function slices<T>(items: readonly T[], size = IDS_PER_MESSAGE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Bytes that the base64 text `s` decodes to (padding counted out), or -1 when it is not base64. */
function base64Length(s: string): number {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return -1;
  const padding = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  return (s.length / 4) * 3 - padding;
}

const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isIdList = (v: unknown): v is number[] => Array.isArray(v) && v.every(isId);

/**
 * Whether `body` is a well-formed `topic` message: the bus carries JSON from other processes, so a
 * malformed one (another version, a stray NOTIFY on the channel) is ignored rather than acted on.
 */
export function isClusterMessage<T extends ClusterTopic>(
  topic: T,
  body: unknown,
): body is ClusterMessageMap[T] {
  if (typeof body !== "object" || body === null) return false;
  const m = body as Record<string, unknown>;
  switch (topic) {
    case "changes":
      return (
        m.global === true ||
        (isIdList(m.builds) &&
          isIdList(m.pipelineRows) &&
          isIdList(m.members) &&
          isIdList(m.runners) &&
          isIdList(m.contacts) &&
          Array.isArray(m.lists) &&
          m.lists.every((l) => Array.isArray(l) && isId(l[0]) && typeof l[1] === "string"))
      );
    case "trace":
      return (
        isId(m.b) &&
        isId(m.o) &&
        isId(m.l) &&
        m.l >= m.o &&
        (m.d === undefined || (typeof m.d === "string" && base64Length(m.d) === m.l - m.o))
      );
    case "build":
      return isId(m.i) && isId(m.p) && typeof m.s === "string";
    case "pipeline":
      return isId(m.i) && isId(m.p);
    case "cancel":
      return isId(m.b) && isId(m.r) && typeof m.why === "string";
    case "deleted":
      return (
        isId(m.i) &&
        isId(m.p) &&
        Array.isArray(m.bs) &&
        m.bs.every((b) => Array.isArray(b) && isId(b[0]) && (b[1] === null || isId(b[1])))
      );
    case "runnerDeleted":
      return isId(m.r);
    case "alive":
      return isIdList(m.s) && isIdList(m.c) && isIdList(m.v);
    default:
      return false;
  }
}
