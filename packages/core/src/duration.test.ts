import { expect, it } from "vitest";
import { parseDurationS } from "./duration.js";

it.each([
  ["1h 30m", 5400],
  ["10 minutes", 600],
  ["1 hour", 3600],
  ["2 days", 172800],
  ["1 week", 604800],
  ["30s", 30],
  ["3600", 3600],
  [3600, 3600],
  ["1h and 5 minutes", 3900],
  ["1:30:00", 5400],
  ["1.5h", 5400],
])("parses %j as %d seconds", (input, seconds) => {
  expect(parseDurationS(input)).toBe(seconds);
});

it.each(["", "soon", "1 fortnight", "h", true, null, "-5"])("rejects %j", (input) => {
  expect(parseDurationS(input)).toBeNull();
});
