import { describe, expect, it } from "vitest";
import { safeTargetUrl } from "./commit-status-card.js";

describe("safeTargetUrl", () => {
  it("keeps http(s) targets and refuses any other scheme or text, so no status can run script", () => {
    // GitLab validates `target_url` as an http(s) URL (GenericCommitStatus `addressable_url`); the page
    // does not rely on the server for it.
    expect(safeTargetUrl("https://ci.example/runs/1")).toBe("https://ci.example/runs/1");
    expect(safeTargetUrl("http://ci.example")).toBe("http://ci.example/");
    expect(safeTargetUrl("javascript:alert(1)")).toBeNull();
    expect(safeTargetUrl("data:text/html,<b>x</b>")).toBeNull();
    expect(safeTargetUrl("not a url")).toBeNull();
    expect(safeTargetUrl(null)).toBeNull();
  });
});
