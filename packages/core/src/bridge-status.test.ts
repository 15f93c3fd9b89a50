// A `strategy: depend` bridge follows its downstream pipeline as Ci::Bridge#inherit_dependent_status_from_downstream!
// says: https://docs.gitlab.com/ci/yaml/#triggerstrategy

import { describe, expect, it } from "vitest";
import { bridgeEventForDownstream } from "./bridge-status.js";
import { BUILD_STATUSES } from "./status.js";

const at = "2026-01-01T00:00:00.000Z";

describe("bridgeEventForDownstream", () => {
  it.each([
    ["success", "success"],
    ["canceled", "cancel"],
    ["failed", "drop"],
    ["skipped", "drop"],
  ] as const)("turns a %s downstream pipeline into the bridge event %s", (status, type) => {
    expect(bridgeEventForDownstream(status, at)).toEqual({ type, at });
  });

  it("leaves the bridge alone while the downstream pipeline is not complete", () => {
    const open = BUILD_STATUSES.filter((s) => !["success", "canceled", "failed", "skipped"].includes(s));
    for (const status of open) expect(bridgeEventForDownstream(status, at)).toBeNull();
  });
});
