// Reads an `expire_in` duration the way GitLab's ChronicDuration does for common inputs:
// `3600` (seconds), `30 mins`, `1 week`, `2 hrs 30 min`, `never`.

/** Seconds of each unit word (singular, plural and short forms). */
const UNIT_S: Record<string, number> = {};
const add = (names: string[], seconds: number) => {
  for (const n of names) UNIT_S[n] = seconds;
};
add(["s", "sec", "secs", "second", "seconds"], 1);
add(["m", "min", "mins", "minute", "minutes"], 60);
add(["h", "hr", "hrs", "hour", "hours"], 3600);
add(["d", "day", "days"], 86_400);
add(["w", "wk", "wks", "week", "weeks"], 604_800);
add(["mo", "mos", "month", "months"], 2_592_000);
add(["y", "yr", "yrs", "year", "years"], 31_557_600);

/** Seconds, `null` for `never`, or undefined when the text is not a duration. */
export function parseExpireIn(text: string): number | null | undefined {
  const t = text.trim().toLowerCase();
  if (t === "never") return null;
  if (/^\d+$/.test(t)) return Number(t);
  const re = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*,?\s*(?:and\s+)?/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const unit = UNIT_S[m[2]!];
    if (unit === undefined) return undefined;
    total += Number(m[1]) * unit;
    matched = re.lastIndex;
  }
  return matched === t.length && matched > 0 ? Math.round(total) : undefined;
}
