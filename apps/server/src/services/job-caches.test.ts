import type { JobCache } from "@buildsim/core";
import { describe, expect, it } from "vitest";
import { jobCaches } from "./job-caches.js";

// GitLab's Ci::Build#cache (app/models/ci/build.rb): `-protected` when the pipeline's ref is protected and
// the entry does not say `unprotect: true`, else `-non_protected`. https://docs.gitlab.com/ci/caching/
const cache = (extra: Partial<JobCache> = {}): JobCache => ({
  key: "deps",
  paths: ["vendor/"],
  untracked: false,
  policy: "pull-push",
  when: "on_success",
  fallbackKeys: [],
  ...extra,
});

describe("the cache entries of a job payload", () => {
  it.each([
    [true, {}, "-protected"],
    [false, {}, "-non_protected"],
    [true, { unprotect: true }, "-non_protected"],
    [false, { unprotect: true }, "-non_protected"],
  ])("on a ref protected=%s with %j get the suffix %s", (refProtected, extra, suffix) => {
    expect(jobCaches([cache(extra)], refProtected)).toEqual([{ ...cache(extra), keySuffix: suffix }]);
  });
});
