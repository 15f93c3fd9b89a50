// The server runs on the real clock: a timestamp it set during a test is Rails-formatted and recent.

import { expect } from "vitest";

/** `value` is an ISO 8601 UTC timestamp with milliseconds, from the last ten minutes. */
export function expectRecentTimestamp(value: unknown): void {
  expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  const age = Date.now() - Date.parse(value as string);
  expect(age).toBeGreaterThanOrEqual(0);
  expect(age).toBeLessThan(10 * 60 * 1000);
}
