// A bridge follows its downstream pipeline as Ci::Bridge#inherit_dependent_status_from_downstream! and
// #inherit_mirrored_status_from_downstream! say: https://docs.gitlab.com/ci/yaml/#triggerstrategy

import { describe, expect, it } from "vitest";
import { bridgeEventForDownstream } from "./bridge-status.js";
import { BUILD_STATUSES } from "./status.js";

const at = "2026-01-01T00:00:00.000Z";

describe("bridgeEventForDownstream", () => {
  it.each([
    ["depend", "success", "success"],
    ["depend", "canceled", "canceled"],
    ["depend", "failed", "failed"],
    ["depend", "skipped", "failed"],
    ["mirror", "success", "success"],
    ["mirror", "canceled", "canceled"],
    ["mirror", "failed", "failed"],
    ["mirror", "skipped", "skipped"],
    ["mirror", "manual", "manual"],
  ] as const)(
    "with strategy %s turns a %s downstream pipeline into the bridge status %s",
    (strategy, status, outcome) => {
      expect(bridgeEventForDownstream(strategy, status, at)).toEqual({
        type: "follow_downstream",
        at,
        status: outcome,
      });
    },
  );

  it("leaves a depend bridge alone while the downstream pipeline is not complete, manual included", () => {
    const open = BUILD_STATUSES.filter((s) => !["success", "canceled", "failed", "skipped"].includes(s));
    expect(open).toContain("manual");
    for (const status of open) expect(bridgeEventForDownstream("depend", status, at)).toBeNull();
  });

  it("leaves a mirror bridge alone while the downstream pipeline runs or waits", () => {
    const open = BUILD_STATUSES.filter(
      (s) => !["success", "canceled", "failed", "skipped", "manual"].includes(s),
    );
    for (const status of open) expect(bridgeEventForDownstream("mirror", status, at)).toBeNull();
  });

  it("never moves a bridge without a strategy: it succeeded when its downstream pipeline was created", () => {
    for (const status of BUILD_STATUSES) expect(bridgeEventForDownstream(null, status, at)).toBeNull();
  });
});
