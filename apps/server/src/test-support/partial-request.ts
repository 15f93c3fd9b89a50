// A request whose body is written piece by piece, answering how much had been sent when the reply came:
// what tests need to show a server answered without reading (or waiting for) the rest of a body.

import { request } from "node:http";

/** The byte every body is filled with, so a test can check what the server stored. */
export const FILL_BYTE = 32;

export interface PartialReply {
  status: number;
  body: string;
  /** Bytes of the body written when the response arrived. */
  sentWhenAnswered: number;
}

/**
 * `method url` declaring `declaredBytes` (chunked when undefined), writing `sendBytes` of filler in
 * 64 KiB pieces; the request is destroyed once the answer has been read.
 */
export function partialRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; sendBytes: number; declaredBytes?: number },
): Promise<PartialReply> {
  const { method = "POST", headers = {}, sendBytes, declaredBytes } = init;
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request(url, {
      method,
      headers: {
        ...(declaredBytes === undefined ? {} : { "Content-Length": String(declaredBytes) }),
        ...headers,
      },
    });
    req.on("response", (res) => {
      const sentWhenAnswered = sent;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), sentWhenAnswered });
        req.destroy();
      });
    });
    req.on("error", (e) => {
      if (!req.destroyed) reject(e);
    });
    const piece = Buffer.alloc(64 * 1024, FILL_BYTE);
    const pump = () => {
      while (sent < sendBytes) {
        sent += piece.byteLength;
        if (!req.write(piece)) {
          req.once("drain", pump);
          return;
        }
      }
      if (declaredBytes === undefined || sendBytes >= declaredBytes) req.end();
    };
    req.flushHeaders();
    pump();
  });
}
