// Streams a request body into a new file under a directory, never holding more than one chunk in
// memory, and refuses it with GitLab's 413 once it passes a limit.

import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { ApiError } from "./api-error.js";

/** A body written to disk. */
export interface UploadedFile {
  /** Absolute path; the handler moves it into place, or it is deleted after the request. */
  file: string;
  size: number;
}

/**
 * Writes `req`'s body to `dir/upload-<random>`. Rejects with 413 when the declared or actual length
 * passes `maxBytes` (the partial file is deleted) and with 400 when the client goes away mid-body.
 */
export function streamBodyToFile(req: IncomingMessage, dir: string, maxBytes: number): Promise<UploadedFile> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes)
    return Promise.reject(ApiError.of("PAYLOAD_TOO_LARGE"));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `upload-${randomBytes(8).toString("hex")}`);
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file);
    let size = 0;
    let settled = false;
    const fail = (e: ApiError) => {
      if (settled) return;
      settled = true;
      req.unpipe(out);
      out.destroy();
      rmSync(file, { force: true });
      reject(e);
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) fail(ApiError.of("PAYLOAD_TOO_LARGE"));
    });
    req.on("aborted", () => fail(ApiError.invalidParam("The request body is incomplete")));
    req.on("error", () => fail(ApiError.invalidParam("The request body is incomplete")));
    out.on("error", () => fail(ApiError.of("INTERNAL")));
    out.on("finish", () => {
      if (settled) return;
      settled = true;
      resolve({ file, size });
    });
    // pipe() applies backpressure: a fast client waits for the disk instead of filling memory.
    req.pipe(out);
  });
}
