// How large a runner's frame may be, by message type: only `trace` carries bulk data, so a huge
// heartbeat or hello is refused before it is parsed instead of stalling the event loop.
//
//   ws maxPayload  = the largest legal trace frame (base64 of maxTraceChunkBytes + envelope): anything
//                    bigger is cut off by `ws` while it arrives (close 1009), never buffered whole
//   per type       = trace: maxPayload · finish: 256 KiB (dotenv variables) · others: 64 KiB

/** Frames other than `trace` and `finish` stay under this. */
export const SMALL_FRAME_BYTES = 64 * 1024;
/** `finish` carries the dotenv report's variables (GitLab caps the report itself at a few KiB). */
export const FINISH_FRAME_BYTES = 256 * 1024;
/** Room for the JSON around a trace chunk's base64. */
const TRACE_ENVELOPE_BYTES = 1024;

/** The largest frame `ws` accepts from a runner. */
export function maxRunnerFrameBytes(maxTraceChunkBytes: number): number {
  return Math.ceil(maxTraceChunkBytes / 3) * 4 + TRACE_ENVELOPE_BYTES;
}

/** The largest frame for a message of `type`. */
export function frameLimitFor(type: unknown, maxTraceChunkBytes: number): number {
  if (type === "trace") return maxRunnerFrameBytes(maxTraceChunkBytes);
  if (type === "finish") return FINISH_FRAME_BYTES;
  return SMALL_FRAME_BYTES;
}

// The type as the first key, as every runner (ours and the test clients) writes it.
const LEADING_TYPE = /^\s*\{\s*"type"\s*:\s*"([a-zA-Z]+)"/;

/**
 * Whether a frame of `bytes` may be parsed at all: a large one must say it is a `trace` or `finish` in
 * its first bytes (checked without parsing the rest); the exact per-type limit is checked after parsing.
 */
export function mayParseFrame(text: string, maxTraceChunkBytes: number): boolean {
  if (text.length <= SMALL_FRAME_BYTES) return true;
  const type = LEADING_TYPE.exec(text.slice(0, 64))?.[1];
  return text.length <= frameLimitFor(type, maxTraceChunkBytes);
}
