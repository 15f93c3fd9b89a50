// Builds a complete JobPayload for tests, with the fields a test cares about overridden.

import type { JobPayload } from "@buildsim/core";

/** A job payload with one `script` step running `script`; every other field has a plain default. */
export function makeJobPayload(
  overrides: Partial<JobPayload> & { id: number; script?: string[] },
): JobPayload {
  const { script = ["echo hello"], ...rest } = overrides;
  return {
    token: `job-token-${overrides.id}`,
    name: "test",
    stage: "test",
    projectId: 1,
    projectPath: "group/project",
    ref: "main",
    refType: "branch",
    sha: "0123456789abcdef0123456789abcdef01234567",
    beforeSha: null,
    timeoutS: 3600,
    steps: [{ name: "script", script, timeoutS: 3600, when: "on_success", allowFailure: false }],
    variables: [{ key: "CI_JOB_ID", value: String(overrides.id), public: true }],
    artifacts: null,
    dependencies: [],
    allowFailureExitCodes: [],
    image: null,
    services: [],
    cache: [],
    sourceDir: null,
    ...rest,
  };
}
