// GitLab's duration strings (ChronicDuration): "1h 30m", "10 minutes", "2 days", "3600", "1:30:00". The
// one parser for them: `timeout`, `start_in`, `expire_in` in config and `expire_in` on the runner API.

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  wk: 604800,
  wks: 604800,
  week: 604800,
  weeks: 604800,
  mo: 2592000,
  mos: 2592000,
  month: 2592000,
  months: 2592000,
  y: 31557600,
  yr: 31557600,
  yrs: 31557600,
  year: 31557600,
  years: 31557600,
};

/**
 * Parses a duration into whole seconds, or returns null when it is not one. A bare number means seconds,
 * as in ChronicDuration; `and` and commas between parts are ignored.
 */
export function parseDurationS(input: unknown): number | null {
  if (typeof input === "number") return Number.isFinite(input) && input >= 0 ? Math.round(input) : null;
  if (typeof input !== "string") return null;
  const text = input.trim().toLowerCase();
  if (text === "") return null;
  const clock = /^(\d+):(\d{1,2})(?::(\d{1,2}))?$/.exec(text);
  if (clock) {
    const [a, b, c] = [Number(clock[1]), Number(clock[2]), clock[3] === undefined ? null : Number(clock[3])];
    return c === null ? a * 60 + b : a * 3600 + b * 60 + c;
  }
  const cleaned = text.replace(/,/g, " ").replace(/\band\b/g, " ");
  const part = /(\d+(?:\.\d+)?)\s*([a-z]+)?/g;
  let total = 0;
  let consumed = "";
  let sawPart = false;
  for (let match = part.exec(cleaned); match !== null; match = part.exec(cleaned)) {
    const amount = Number(match[1]);
    const unit = match[2];
    const factor = unit === undefined ? 1 : UNIT_SECONDS[unit];
    if (factor === undefined) return null;
    total += amount * factor;
    consumed += match[0];
    sawPart = true;
  }
  if (!sawPart || consumed.replace(/\s/g, "") !== cleaned.replace(/\s/g, "")) return null;
  return Math.round(total);
}
