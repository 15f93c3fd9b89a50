// Reads an `expire_in` duration the way GitLab's ChronicDuration does (`3600`, `30 mins`, `1 week`,
// `2 hrs 30 min`), with core's one duration parser, plus GitLab's `never`.

import { parseDurationS } from "@buildsim/core";

/** Seconds, `null` for `never`, or undefined when the text is not a duration. */
export function parseExpireIn(text: string): number | null | undefined {
  if (text.trim().toLowerCase() === "never") return null;
  return parseDurationS(text) ?? undefined;
}
