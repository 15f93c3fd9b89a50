import { describe, expect, it } from "vitest";
import { refSlug } from "./predefined-variables.js";

describe("CI_COMMIT_REF_SLUG", () => {
  it("lowercases, replaces non-alphanumerics with dashes and trims them", () => {
    expect(refSlug("Feature/My_Branch-")).toBe("feature-my-branch");
    expect(refSlug("x".repeat(70))).toHaveLength(63);
  });
});
