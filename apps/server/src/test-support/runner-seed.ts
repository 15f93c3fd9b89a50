// A seed for runner-protocol tests: runners with different tag/scope rules and pending builds.

/** Tokens of the seed's users and runners. */
export const RUNNER_SEED_TOKENS = {
  admin: "tok-admin",
  reporter: "tok-reporter",
  guest: "tok-guest",
  outsider: "tok-outsider",
  shared: "runner-shared",
  docker: "runner-docker",
  specific2: "runner-specific-2",
  paused: "runner-paused",
} as const;

const SHA = "a".repeat(40);

/**
 * Project 1 `acme/app` (private; reporter and guest members), project 2 `acme/other` (private).
 * Runners: 1 shared untagged, 2 shared tagged [docker, linux] not running untagged builds, 3 specific
 * to project 2, 4 paused. Pipeline 1 (project 1): build 1 `tagged` [docker] pending, build 2 `plain`
 * pending, build 3 `deploy` created in stage 1 (timeout 60 s). Pipeline 2 (project 2): build 4 pending.
 */
export const RUNNER_SEED = `
web_url: https://gitlab.example.com
users:
  - { id: 1, username: root, admin: true, tokens: [${RUNNER_SEED_TOKENS.admin}] }
  - { id: 2, username: rep, tokens: [${RUNNER_SEED_TOKENS.reporter}] }
  - { id: 3, username: guesty, tokens: [${RUNNER_SEED_TOKENS.guest}] }
  - { id: 4, username: outsider, tokens: [${RUNNER_SEED_TOKENS.outsider}] }
projects:
  - { id: 1, path: acme/app, runners_token: PROJECT-1-RUNNERS, public_builds: false, members: [{ user: 2, role: reporter }, { user: 3, role: guest }] }
  - { id: 2, path: acme/other, runners_token: PROJECT-2-RUNNERS }
commits:
  - { project: 1, sha: "${SHA}", message: "Add feature\\n\\nbody" }
  - { project: 2, sha: "${SHA}", message: "other" }
runners:
  - { id: 1, token: ${RUNNER_SEED_TOKENS.shared}, description: shared }
  - { id: 2, token: ${RUNNER_SEED_TOKENS.docker}, description: docker, tags: [docker, linux], run_untagged: false }
  - { id: 3, token: ${RUNNER_SEED_TOKENS.specific2}, description: specific, shared: false, projects: [2] }
  - { id: 4, token: ${RUNNER_SEED_TOKENS.paused}, description: paused, active: false }
pipelines:
  - { id: 1, project: 1, sha: "${SHA}", ref: main }
  - { id: 2, project: 2, sha: "${SHA}", ref: main }
builds:
  - { id: 1, pipeline: 1, name: tagged, status: pending, tags: [docker], script: ["make"], queued_at: "2026-01-01T00:00:00.000Z" }
  - { id: 2, pipeline: 1, name: plain, status: pending, before_script: ["setup"], script: ["test"], after_script: ["cleanup"], variables: { MY_VAR: hello }, queued_at: "2026-01-01T00:00:00.000Z" }
  - { id: 3, pipeline: 1, name: deploy, stage: deploy, stage_idx: 1, status: created, timeout_s: 60 }
  - { id: 4, pipeline: 2, name: other, status: pending, queued_at: "2026-01-01T00:00:00.000Z" }
`;
