// The live trace frame that every watcher of a chunk shares, read back by a real `ws` client.

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { chunkMessage, encodeChunk, textFrame } from "./text-frame.js";

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A server that hands each upgraded connection to `onOpen` with its TCP socket; resolves with its URL. */
async function serverWith(onOpen: (ws: WebSocket, tcp: Duplex) => void): Promise<string> {
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  http.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => onOpen(ws, socket)));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  closers.push(() => {
    for (const c of wss.clients) c.terminate();
    wss.close();
    http.close();
  });
  return `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** The first `count` text messages a client of `url` receives. */
function receive(url: string, count: number): Promise<string[]> {
  const client = new WebSocket(url, { perMessageDeflate: false });
  closers.push(() => client.terminate());
  const got: string[] = [];
  return new Promise((resolve, reject) => {
    client.on("message", (data, isBinary) => {
      if (isBinary) reject(new Error("a binary frame"));
      got.push(data.toString());
      if (got.length === count) resolve(got);
    });
    client.on("error", reject);
  });
}

describe("encodeChunk and textFrame", () => {
  it("is the chunk message JSON.stringify writes", () => {
    const data = Buffer.from([0, 1, 2, 250, 251, 252, 10, 34, 92]);
    const expected = JSON.stringify({ type: "chunk", offset: 12345, data: data.toString("base64") });
    expect(encodeChunk(12345, data).message.toString()).toBe(expected);
    expect(chunkMessage(12345, data).toString()).toBe(expected);
  });

  it("frames messages of every length class (7-bit, 16-bit, 64-bit) so a WebSocket client reads them whole, in order with the socket's own messages", async () => {
    // RFC 6455 §5.2: payload length 0-125 in the second byte, 126 + 16 bits, or 127 + 64 bits.
    // https://www.rfc-editor.org/rfc/rfc6455#section-5.2
    const sizes = [0, 60, 1024, 70_000];
    const chunks = sizes.map((n, i) => encodeChunk(i, Buffer.alloc(n, i + 65)));
    expect(chunks.map((c) => c.frame.byteLength - c.message.byteLength)).toEqual([2, 2, 4, 10]);
    const unicode = JSON.stringify({ type: "error", message: "é ✓ 🙂" });
    const url = await serverWith((ws, tcp) => {
      ws.send("before");
      for (const c of chunks) tcp.write(c.frame);
      tcp.write(textFrame(unicode));
      ws.send("after");
    });
    const got = await receive(url, sizes.length + 3);
    expect(got).toEqual(["before", ...chunks.map((c) => c.message.toString()), unicode, "after"]);
  });
});
