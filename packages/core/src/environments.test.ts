import { describe, expect, it } from "vitest";
import { deploymentStatusFor, environmentSlug, guessDeploymentTier } from "./environments.js";

describe("environment slugs (Environment#generate_slug)", () => {
  it("keeps a name that is already a valid slug", () => {
    expect(environmentSlug("production")).toBe("production");
    expect(environmentSlug("staging-2")).toBe("staging-2");
  });

  it("shortens a name that had to change and adds a stable 6-character suffix", () => {
    const slug = environmentSlug("review/fix-foo");
    expect(slug).toMatch(/^review-fix-foo-[a-z0-9]{6}$/);
    expect(environmentSlug("review/fix-foo")).toBe(slug);
    expect(environmentSlug("review/fix-bar")).not.toBe(slug);
    expect(environmentSlug("Review/A very long branch name indeed")).toMatch(
      /^review-a-very-lon-[a-z0-9]{6}$/,
    );
  });

  it("starts with a letter", () => {
    expect(environmentSlug("1st")).toMatch(/^env-1st-[a-z0-9]{6}$/);
  });
});

describe("deployment tiers (Environment#guess_tier)", () => {
  it.each([
    ["review/feature", "development"],
    ["qa", "testing"],
    ["staging", "staging"],
    ["production", "production"],
    ["live", "production"],
    ["somewhere", "other"],
  ])("guesses %s as %s", (name, tier) => expect(guessDeploymentTier(name)).toBe(tier));
});

describe("deployment status", () => {
  it("follows the job through running to its end, and ignores statuses before it runs", () => {
    expect(deploymentStatusFor("running")).toBe("running");
    expect(deploymentStatusFor("success")).toBe("success");
    expect(deploymentStatusFor("failed")).toBe("failed");
    expect(deploymentStatusFor("canceled")).toBe("canceled");
    expect(deploymentStatusFor("pending")).toBeNull();
    expect(deploymentStatusFor("manual")).toBeNull();
  });
});
