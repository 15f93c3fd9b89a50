// Sends a request exactly as written (no URL normalization, any method and body): what bad-input tests
// need to reach the server with targets fetch would clean up or refuse.

import { request } from "node:http";

export interface RawReply {
  status: number;
  type: string | undefined;
  text: string;
}

/** `method target` against `baseUrl` with `PRIVATE-TOKEN: token` and an optional typed body. */
export function rawRequest(
  baseUrl: string,
  token: string,
  method: string,
  target: string,
  body?: { type: string; body: string | Buffer },
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}${target}`,
      {
        method,
        headers: {
          "PRIVATE-TOKEN": token,
          ...(body ? { "Content-Type": body.type, "Content-Length": Buffer.byteLength(body.body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers["content-type"],
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body?.body);
  });
}
