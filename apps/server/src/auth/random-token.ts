// Job, runner and personal tokens: 10 random bytes as 20 hex characters. The bytes come from a pooled
// buffer filled from the CSPRNG 409 tokens at a time: `randomBytes(10)` cost ~5–60 µs per call here (a
// new buffer and a call into OpenSSL each time), paid on every retry and every created build.

import { randomFillSync } from "node:crypto";

const TOKEN_BYTES = 10;
const pool = Buffer.allocUnsafe(4096);
let used = pool.length;

/** A fresh token; no byte of the pool is handed out twice. */
export function randomToken(): string {
  if (used + TOKEN_BYTES > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const token = pool.toString("hex", used, used + TOKEN_BYTES);
  used += TOKEN_BYTES;
  return token;
}
