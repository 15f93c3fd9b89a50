// `publish:` — a Pages job's folder (GitLab 16.1, deprecated in favour of `pages:publish`).
import { describe, expect, it } from "vitest";
import { formatProblem, lintCiSources } from "./lint-ci-config.js";

const lint = (yaml: string): string[] =>
  lintCiSources({ ".gitlab-ci.yml": yaml }).problems.map(formatProblem);

// https://docs.gitlab.com/ci/yaml/#publish (MR gitlab-org/gitlab!115340); Entry::Job validates
// `publish` with absence "can only be used within a `pages` job" unless the job is a pages job
// (lib/gitlab/ci/config/entry/job.rb, spec/lib/gitlab/ci/config/entry/job_spec.rb).
describe("the publish: job keyword", () => {
  it("is accepted in the job named pages", () => {
    expect(
      lint("pages:\n  stage: deploy\n  script: make\n  artifacts: {paths: [docs]}\n  publish: docs\n"),
    ).toEqual([]);
  });

  it("is accepted in a job with pages: set", () => {
    expect(lint("site:\n  script: make\n  pages: true\n  publish: dist\n")).toEqual([]);
  });

  it("is refused in any other job, in GitLab's words", () => {
    expect(lint("rspec:\n  script: make\n  publish: foo\n")).toEqual([
      ".gitlab-ci.yml:3:3: jobs:rspec publish can only be used within a `pages` job",
    ]);
  });
});
