// A seed for the v4 tests: two projects, users of each role, jobs in the statuses the Job entity renders
// differently (failed, artifacts kept/expired, running with a runner and a job token, manual).

/** Tokens by caller. */
export const V4_TOKENS = {
  root: "tok-root",
  master: "tok-master",
  developer: "tok-developer",
  reporter: "tok-reporter",
  guest: "tok-guest",
  outsider: "tok-outsider",
  runningJob: "job-token-running",
  finishedJob: "job-token-finished",
} as const;

/**
 * Project 1 `acme/app` (private, jobs not public; members master, developer, reporter, guest; no protected
 * branches):
 * - pipeline 1 (master, sha 1…, success): 1 `compile` success with a zip (`out/a.txt`) expiring 2030, a trace,
 *   token `job-token-finished`; 2 `test` failed (script_failure, allowed); 3 `old` success, expired artifacts
 * - pipeline 2 (feature, sha 2…): 4 `lint` running on runner 1 for developer, token `job-token-running`,
 *   tags [b, a]; 5 `deploy` manual
 * Project 2 `acme/other` (private, no members): pipeline 3 with 6 `other` success.
 * Project 3 `acme/open` (public, public jobs; `master` protected by default): pipeline 4 with 7 `open`
 *   success, a zip with `o.txt`.
 */
export const JOBS_V4_SEED = `
web_url: http://gitlab.example
users:
  - { id: 1, username: root, admin: true, tokens: [${V4_TOKENS.root}] }
  - { id: 2, username: master, tokens: [${V4_TOKENS.master}] }
  - { id: 3, username: developer, tokens: [${V4_TOKENS.developer}] }
  - { id: 4, username: reporter, tokens: [${V4_TOKENS.reporter}] }
  - { id: 5, username: outsider, tokens: [${V4_TOKENS.outsider}] }
  - { id: 6, username: guest, tokens: [${V4_TOKENS.guest}] }
projects:
  - id: 1
    path: acme/app
    runners_token: RUNNERS-SECRET
    public_builds: false
    # No protected branches, so role checks are the project's alone; protected-ref tests add their own.
    protected_branches: []
    members:
      - { user: master, role: master }
      - { user: developer, role: developer }
      - { user: reporter, role: reporter }
      - { user: guest, role: guest }
  - { id: 2, path: acme/other }
  - { id: 3, path: acme/open, visibility: public }
commits:
  - { project: 1, sha: "${"1".repeat(40)}", message: "first" }
  - { project: 1, sha: "${"2".repeat(40)}", message: "second" }
  - { project: 2, sha: "${"3".repeat(40)}", message: "other" }
  - { project: 3, sha: "${"4".repeat(40)}", message: "open" }
runners:
  - { id: 1, token: runner-token-1, description: runner one, projects: [1] }
pipelines:
  - { id: 1, project: 1, sha: "${"1".repeat(40)}", ref: master, user: root }
  - { id: 2, project: 1, sha: "${"2".repeat(40)}", ref: feature, user: developer }
  - { id: 3, project: 2, sha: "${"3".repeat(40)}", ref: master, user: root }
  - { id: 4, project: 3, sha: "${"4".repeat(40)}", ref: master, user: root }
builds:
  - id: 1
    pipeline: 1
    name: compile
    status: success
    user: root
    token: ${V4_TOKENS.finishedJob}
    started_at: "2026-01-01T00:00:00.000Z"
    finished_at: "2026-01-01T00:00:30.000Z"
    trace: "built\\n"
    artifacts: { files: { out/a.txt: "A\\n" }, expire_at: "2030-01-01T00:00:00.000Z" }
  - { id: 2, pipeline: 1, name: test, status: failed, allow_failure: true, failure_reason: script_failure, user: root, finished_at: "2026-01-01T00:01:00.000Z", trace: "boom\\n" }
  - id: 3
    pipeline: 1
    name: old
    status: success
    finished_at: "2019-01-01T00:00:00.000Z"
    artifacts: { contents: "old", expire_at: "2020-01-01T00:00:00.000Z" }
  - { id: 4, pipeline: 2, name: lint, status: running, runner: 1, user: developer, tags: [b, a], token: ${V4_TOKENS.runningJob}, queued_at: "2025-12-31T23:59:00.000Z", started_at: "2026-01-01T00:00:00.000Z" }
  - { id: 5, pipeline: 2, name: deploy, stage: deploy, stage_idx: 1, when: manual, status: manual }
  - { id: 6, pipeline: 3, name: other, status: success }
  - { id: 7, pipeline: 4, name: open, status: success, artifacts: { files: { o.txt: "O" } } }
`;
