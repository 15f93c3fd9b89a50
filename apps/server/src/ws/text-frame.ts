// Whole WebSocket text frames (RFC 6455 §5.2, unmasked as a server sends them), written to the upgraded
// socket in one write: `ws` frames each message again as a header and a payload written in two (corked),
// which on a one-line trace message cost more than the bytes. A live trace chunk is framed once for
// every watcher of its build (watcher-stream.ts); runner messages are framed as they are sent.

/** A `chunk` message and the text frame that carries it; `message` is a view into `frame`. */
export interface EncodedChunk {
  message: Buffer;
  frame: Buffer;
}

/** Bytes of a server frame's header for a payload of `n` bytes: 7-bit, 16-bit or 64-bit length. */
const headerBytes = (n: number) => (n < 126 ? 2 : n < 65_536 ? 4 : 10);

/** Writes the header of a final, unmasked text frame of `n` payload bytes at the start of `frame`. */
function writeTextHeader(frame: Buffer, n: number): void {
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (n < 126) frame[1] = n;
  else if (n < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    frame.writeUInt32BE(n >>> 0, 6);
  }
}

/** `text` (any JSON) as one text frame. */
export function textFrame(text: string): Buffer {
  const n = Buffer.byteLength(text);
  const head = headerBytes(n);
  const frame = Buffer.allocUnsafe(head + n);
  writeTextHeader(frame, n);
  frame.write(text, head, "utf8");
  return frame;
}

/**
 * `{"type":"chunk","offset":…,"data":"<base64>"}` for `data` at `offset`, and its frame, in one buffer:
 * base64 needs no JSON escaping, so this is exactly `JSON.stringify({type: "chunk", offset, data})`.
 */
export function encodeChunk(offset: number, data: Buffer): EncodedChunk {
  const prefix = `{"type":"chunk","offset":${offset},"data":"`;
  const base64 = data.toString("base64");
  const n = prefix.length + base64.length + 2;
  const head = headerBytes(n);
  const frame = Buffer.allocUnsafe(head + n);
  writeTextHeader(frame, n);
  let at = head + frame.write(prefix, head, "latin1");
  at += frame.write(base64, at, "latin1");
  frame[at] = 0x22; // "
  frame[at + 1] = 0x7d; // }
  return { message: frame.subarray(head), frame };
}

/** The `chunk` message alone (see {@link encodeChunk}). */
export const chunkMessage = (offset: number, data: Buffer): Buffer => encodeChunk(offset, data).message;
