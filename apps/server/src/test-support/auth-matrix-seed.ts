// A seed for permission tests: one user per role plus an admin and an outsider, and three projects
// (private; public without public builds; public with public builds) with a build for every endpoint.

const ROLES = ["guest", "reporter", "developer", "master"] as const;

/** Tokens by caller name. */
export const MATRIX_TOKENS = {
  admin: "tok-admin",
  guest: "tok-guest",
  reporter: "tok-reporter",
  developer: "tok-developer",
  master: "tok-master",
  outsider: "tok-outsider",
  blocked: "tok-blocked",
} as const;

/** The matrix projects: id → how it is set up. */
export const MATRIX_PROJECTS = {
  1: { path: "group/private", visibility: "private", publicBuilds: false },
  2: { path: "group/public", visibility: "public", publicBuilds: false },
  3: { path: "group/public-builds", visibility: "public", publicBuilds: true },
} as const;

/** Build ids of project `p`: a finished build with artifacts and trace, a running one, a manual one. */
export const matrixBuilds = (p: number) => ({ done: p * 100 + 1, running: p * 100 + 2, manual: p * 100 + 3 });
/** The sha of project `p`'s successful master pipeline. */
export const matrixSha = (p: number) => String(p).repeat(40);

/** The seed as JSON text (the loader takes YAML or JSON). */
export function authMatrixSeed(): string {
  const users = [
    { id: 1, username: "admin", admin: true, tokens: [MATRIX_TOKENS.admin] },
    ...ROLES.map((r, i) => ({ id: i + 2, username: r, tokens: [MATRIX_TOKENS[r]] })),
    { id: 6, username: "outsider", tokens: [MATRIX_TOKENS.outsider] },
    { id: 7, username: "blocked", state: "blocked", tokens: [MATRIX_TOKENS.blocked] },
  ];
  const projects = Object.entries(MATRIX_PROJECTS).map(([id, p]) => ({
    id: Number(id),
    path: p.path,
    visibility: p.visibility,
    public_builds: p.publicBuilds,
    members: [...ROLES.map((r) => ({ user: r, role: r })), { user: "blocked", role: "master" }],
  }));
  const ids = Object.keys(MATRIX_PROJECTS).map(Number);
  const commits = ids.flatMap((p) => [
    { project: p, sha: matrixSha(p), message: "Build it" },
    { project: p, sha: `${p}${"a".repeat(39)}`, message: "Feature" },
  ]);
  const pipelines = ids.flatMap((p) => [
    { id: p * 10 + 1, project: p, sha: matrixSha(p), ref: "master" },
    { id: p * 10 + 2, project: p, sha: `${p}${"a".repeat(39)}`, ref: "feature" },
  ]);
  const builds = ids.flatMap((p) => {
    const b = matrixBuilds(p);
    return [
      {
        id: b.done,
        pipeline: p * 10 + 1,
        name: "build",
        status: "success",
        started_at: "2026-01-01T00:00:00.000Z",
        finished_at: "2026-01-01T00:01:00.000Z",
        artifacts: { filename: "artifacts.zip", contents: `zip of project ${p}` },
        trace: `log of project ${p}\n`,
      },
      {
        id: b.running,
        pipeline: p * 10 + 2,
        name: "test",
        status: "running",
        started_at: "2026-01-01T00:00:00.000Z",
      },
      {
        id: b.manual,
        pipeline: p * 10 + 2,
        name: "deploy",
        stage: "deploy",
        stage_idx: 1,
        when: "manual",
        status: "manual",
      },
    ];
  });
  return JSON.stringify({ users, projects, commits, pipelines, builds });
}
