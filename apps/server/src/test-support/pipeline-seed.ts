// A small seed with one project and the pipelines action tests need, written as YAML like users would.

/** Token of the admin `root` in `PIPELINE_SEED`. */
export const ADMIN_TOKEN = "tok-root";

/**
 * Project 1 with:
 * - pipeline 1 (master): 1 `compile` failed [stage 0], 2 `deploy` skipped [stage 1]
 * - pipeline 2 (master): 3 `lint` running on runner 1 [stage 0], 4 `release` created, when manual [stage 1]
 * - pipeline 3 (master): 5 `package` success with artifacts expiring 2030 and a trace [stage 0]
 * - pipeline 4 (feature): 6 `old` success with artifacts that expired in 2020 [stage 0],
 *   7 `legacy-manual` skipped, when manual (8.x style) [stage 1], 8 `ship` manual [stage 1]
 */
export const PIPELINE_SEED = `
users:
  - { id: 1, username: root, admin: true, tokens: [${ADMIN_TOKEN}] }
projects:
  - { id: 1, path: acme/app, runners_token: RUNNERS-SECRET }
commits:
  - { project: 1, sha: "${"1".repeat(40)}", message: "first" }
  - { project: 1, sha: "${"2".repeat(40)}", message: "second" }
runners:
  - { id: 1, token: runner-token-1, description: runner one, projects: [1] }
pipelines:
  - { id: 1, project: 1, sha: "${"1".repeat(40)}", ref: master }
  - { id: 2, project: 1, sha: "${"1".repeat(40)}", ref: master }
  - { id: 3, project: 1, sha: "${"2".repeat(40)}", ref: master }
  - { id: 4, project: 1, sha: "${"2".repeat(40)}", ref: feature }
builds:
  - { id: 1, pipeline: 1, name: compile, status: failed, started_at: "2026-01-01T00:00:00.000Z", finished_at: "2026-01-01T00:00:05.000Z", trace: "boom\\n" }
  - { id: 2, pipeline: 1, name: deploy, stage: deploy, stage_idx: 1, status: skipped }
  - { id: 3, pipeline: 2, name: lint, status: running, runner: 1, started_at: "2026-01-01T00:00:00.000Z" }
  - { id: 4, pipeline: 2, name: release, stage: deploy, stage_idx: 1, when: manual, status: created }
  - id: 5
    pipeline: 3
    name: package
    status: success
    finished_at: "2026-01-01T00:00:09.000Z"
    trace: "packed with RUNNERS-SECRET\\n"
    artifacts: { filename: pkg.zip, contents: "PK-bytes", expire_at: "2030-01-01T00:00:00.000Z" }
  - id: 6
    pipeline: 4
    name: old
    status: success
    finished_at: "2019-01-01T00:00:00.000Z"
    artifacts: { contents: "old-bytes", expire_at: "2020-01-01T00:00:00.000Z" }
  - { id: 7, pipeline: 4, name: legacy-manual, stage: deploy, stage_idx: 1, when: manual, status: skipped }
  - { id: 8, pipeline: 4, name: ship, stage: deploy, stage_idx: 1, when: manual, status: manual }
`;
