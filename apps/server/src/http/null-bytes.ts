// GitLab's HandleMalformedStrings middleware: "there is no valid reason for a request to contain a null
// byte", so a path or query with one is answered 400 `Bad Request` in plain text before any route runs.
// (It also keeps such strings from the database: PostgreSQL cannot store U+0000 in text.)

import type { Reply } from "./reply.js";

/** `%00` anywhere in the request target (a raw NUL never gets past Node's HTTP parser). */
export function hasNullByte(rawUrl: string): boolean {
  return /%00/i.test(rawUrl);
}

/** GitLab's answer: `[400, { 'Content-Type' => 'text/plain' }, ['Bad Request']]`. */
export function nullByteReply(): Reply {
  return { status: 400, headers: ["Content-Type", "text/plain"], body: Buffer.from("Bad Request") };
}
