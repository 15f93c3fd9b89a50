import { describe, expect, it } from "vitest";
import {
  commitTitleAndDescription,
  environmentSlug,
  guessEnvironmentTier,
  predefinedVariables,
  refSlug,
} from "./predefined-variables.js";

describe("CI_COMMIT_REF_SLUG", () => {
  it("lowercases, replaces non-alphanumerics with dashes and trims them", () => {
    expect(refSlug("Feature/My_Branch-")).toBe("feature-my-branch");
    expect(refSlug("x".repeat(70))).toHaveLength(63);
  });
});

// One row per variable of GitLab's "Predefined CI/CD variables reference" that a local run can know,
// with the value the reference describes for this job:
// https://docs.gitlab.com/ci/variables/predefined_variables/
const SHA = "0123456789abcdef0123456789abcdef01234567";
const expected: Array<[string, string]> = [
  ["CI", "true"],
  ["CI_API_GRAPHQL_URL", "http://ci.local:8080/api/graphql"],
  ["CI_API_V4_URL", "http://ci.local:8080/api/v4"],
  ["CI_COMMIT_AUTHOR", "Ada Lovelace <ada@example.com>"],
  ["CI_COMMIT_BEFORE_SHA", "0".repeat(40)],
  ["CI_COMMIT_BRANCH", "feature/Login"],
  ["CI_COMMIT_DESCRIPTION", "Body line one\nBody line two"],
  ["CI_COMMIT_MESSAGE", "Add login\n\nBody line one\nBody line two"],
  ["CI_COMMIT_REF_NAME", "feature/Login"],
  ["CI_COMMIT_REF_PROTECTED", "false"],
  ["CI_COMMIT_REF_SLUG", "feature-login"],
  ["CI_COMMIT_SHA", SHA],
  ["CI_COMMIT_SHORT_SHA", "01234567"],
  ["CI_COMMIT_TIMESTAMP", "2026-11-29T12:00:00+01:00"],
  ["CI_COMMIT_TITLE", "Add login"],
  ["CI_CONFIG_PATH", ".gitlab-ci.yml"],
  ["CI_DEFAULT_BRANCH", "main"],
  ["CI_DEFAULT_BRANCH_SLUG", "main"],
  ["CI_ENVIRONMENT_ACTION", "start"],
  ["CI_ENVIRONMENT_NAME", "review/feature-login"],
  ["CI_ENVIRONMENT_SLUG", environmentSlug("review/feature-login")],
  ["CI_ENVIRONMENT_TIER", "development"],
  ["CI_ENVIRONMENT_URL", "https://feature-login.example.com"],
  ["CI_JOB_GROUP_NAME", "rspec"],
  ["CI_JOB_ID", "42"],
  ["CI_JOB_IMAGE", "ruby:3.3"],
  ["CI_JOB_MANUAL", "true"],
  ["CI_JOB_NAME", "rspec 2/3"],
  ["CI_JOB_NAME_SLUG", "rspec-2-3"],
  ["CI_JOB_STAGE", "test"],
  ["CI_JOB_TIMEOUT", "3600"],
  ["CI_JOB_TOKEN", "job-token"],
  ["CI_JOB_URL", "http://ci.local:8080/group/sub/app/-/jobs/42"],
  ["CI_NODE_INDEX", "2"],
  ["CI_NODE_TOTAL", "3"],
  ["CI_PIPELINE_CREATED_AT", "2026-11-29T11:00:00Z"],
  ["CI_PIPELINE_ID", "7"],
  ["CI_PIPELINE_IID", "3"],
  ["CI_PIPELINE_SOURCE", "push"],
  ["CI_PIPELINE_URL", "http://ci.local:8080/group/sub/app/-/pipelines/7"],
  ["CI_PROJECT_DESCRIPTION", "The app"],
  ["CI_PROJECT_ID", "5"],
  ["CI_PROJECT_NAME", "app"],
  ["CI_PROJECT_NAMESPACE", "group/sub"],
  ["CI_PROJECT_NAMESPACE_SLUG", "group-sub"],
  ["CI_PROJECT_PATH", "group/sub/app"],
  ["CI_PROJECT_PATH_SLUG", "group-sub-app"],
  ["CI_PROJECT_ROOT_NAMESPACE", "group"],
  ["CI_PROJECT_TITLE", "App"],
  ["CI_PROJECT_URL", "http://ci.local:8080/group/sub/app"],
  ["CI_PROJECT_VISIBILITY", "internal"],
  ["CI_REPOSITORY_URL", "http://gitlab-ci-token:job-token@ci.local:8080/group/sub/app.git"],
  ["CI_RUNNER_DESCRIPTION", "local"],
  ["CI_RUNNER_ID", "9"],
  // A JSON array since GitLab 15.7 (gitlab-org/gitlab#384949).
  ["CI_RUNNER_TAGS", '["docker","linux"]'],
  ["CI_SERVER", "yes"],
  ["CI_SERVER_FQDN", "ci.local:8080"],
  ["CI_SERVER_HOST", "ci.local"],
  ["CI_SERVER_NAME", "GitLab"],
  ["CI_SERVER_PORT", "8080"],
  ["CI_SERVER_PROTOCOL", "http"],
  ["CI_SERVER_REVISION", "buildsim"],
  ["CI_SERVER_URL", "http://ci.local:8080"],
  ["CI_SERVER_VERSION", "17.0.0"],
  ["CI_SERVER_VERSION_MAJOR", "17"],
  ["CI_SERVER_VERSION_MINOR", "0"],
  ["CI_SERVER_VERSION_PATCH", "0"],
  ["GITLAB_CI", "true"],
  ["GITLAB_USER_EMAIL", "root@example.com"],
  ["GITLAB_USER_ID", "1"],
  ["GITLAB_USER_LOGIN", "root"],
  ["GITLAB_USER_NAME", "Administrator"],
];

describe("predefinedVariables", () => {
  it("computes every variable of GitLab's reference a local job can know, and no other", () => {
    const vars = predefinedVariables({
      serverUrl: "http://ci.local:8080",
      project: {
        id: 5,
        path: "group/sub/app",
        title: "App",
        description: "The app",
        visibility: "internal",
      },
      ref: "feature/Login",
      tag: false,
      refProtected: false,
      defaultBranch: "main",
      source: "push",
      commit: {
        sha: SHA,
        beforeSha: null,
        message: "Add login\n\nBody line one\nBody line two",
        authorName: "Ada Lovelace",
        authorEmail: "ada@example.com",
        timestamp: "2026-11-29T12:00:00+01:00",
      },
      pipeline: { id: 7, iid: 3, createdAt: "2026-11-29T11:00:00Z" },
      user: { id: 1, username: "root", name: "Administrator", email: "root@example.com" },
      job: {
        name: "rspec 2/3",
        groupName: "rspec",
        stage: "test",
        nodeIndex: 2,
        nodeTotal: 3,
        image: "ruby:3.3",
        timeoutS: 3600,
        id: 42,
        token: "job-token",
        manual: true,
      },
      environment: { name: "review/feature-login", url: "https://feature-login.example.com" },
      runner: { id: 9, description: "local", tags: ["docker", "linux"] },
    });
    expect(Object.entries(vars)).toEqual(expected);
  });

  it("sets CI_COMMIT_TAG instead of CI_COMMIT_BRANCH for a tag, and CI_NODE_TOTAL=1 without parallel", () => {
    const vars = predefinedVariables({
      serverUrl: "https://gitlab.example.com",
      project: { path: "g/p" },
      ref: "v1.0",
      tag: true,
      refProtected: true,
      defaultBranch: "main",
      source: "push",
      commit: { sha: SHA, message: "Release" },
      job: { name: "build", stage: "build" },
    });
    expect(vars.CI_COMMIT_TAG).toBe("v1.0");
    expect(vars.CI_COMMIT_BRANCH).toBeUndefined();
    expect(vars.CI_NODE_TOTAL).toBe("1");
    expect(vars.CI_NODE_INDEX).toBeUndefined();
    expect(vars.CI_SERVER_PORT).toBe("443");
    expect(vars.CI_SERVER_FQDN).toBe("gitlab.example.com");
    expect(vars.CI_PIPELINE_ID).toBeUndefined();
  });
});

describe("environment variables", () => {
  it("slugs environment names like GitLab's Gitlab::Slug::Environment", () => {
    expect(environmentSlug("production")).toBe("production");
    expect(environmentSlug("Production")).toMatch(/^production-[a-z0-9]{6}$/);
    expect(environmentSlug("review/feature-login")).toMatch(/^review-feature-lo-[a-z0-9]{6}$/);
    expect(environmentSlug("1st")).toMatch(/^env-1st-[a-z0-9]{6}$/);
  });

  it("guesses the deployment tier from the name", () => {
    // https://docs.gitlab.com/ci/environments/#deployment-tier-of-environments
    expect(["review/x", "qa", "staging", "production", "customer-portal"].map(guessEnvironmentTier)).toEqual([
      "development",
      "testing",
      "staging",
      "production",
      "other",
    ]);
  });
});

describe("commit title and description", () => {
  it("splits the first line off, and keeps the whole message as description after a long title", () => {
    expect(commitTitleAndDescription("Fix\n\nBecause")).toEqual({ title: "Fix", description: "Because" });
    const long = `${"x".repeat(120)}\nrest`;
    expect(commitTitleAndDescription(long).description).toBe(long);
  });
});
