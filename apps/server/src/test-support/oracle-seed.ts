// The read-cache oracle's data: two projects, seven pipelines of six jobs in three stages in every
// status the entities render differently (pending and running with moving durations, artifacts that
// expire minutes after the start, traces, failures, a manual job), plus another project's pipeline.

/** The admin token of the oracle seed. */
export const ORACLE_TOKEN = "oracle-root-token";

const STATUSES = ["success", "failed", "running", "pending", "canceled", "success", "created", "manual"];

/** The seed as JSON text; times relative to `startIso` so durations and expiries move with the clock. */
export function oracleSeed(startIso: string): string {
  const start = Date.parse(startIso);
  const at = (s: number) => new Date(start + s * 1000).toISOString();
  const sha = (p: number) => String(p).repeat(40);
  const builds: Record<string, unknown>[] = [];
  const pipelines: Record<string, unknown>[] = [];
  const commits: Record<string, unknown>[] = [];
  let id = 0;
  for (let p = 1; p <= 8; p++) {
    const project = p === 8 ? 2 : 1;
    commits.push({ project, sha: sha(p), message: `commit ${p}\n\nbody` });
    pipelines.push({ id: p, project, sha: sha(p), ref: p % 2 ? "master" : "feature", user: "root" });
    for (let j = 0; j < 6; j++) {
      id++;
      const status = STATUSES[(p * 5 + j * 3) % STATUSES.length]!;
      const b: Record<string, unknown> = {
        id,
        pipeline: p,
        name: `job-${j}`,
        stage: ["build", "test", "deploy"][j % 3],
        stage_idx: j % 3,
        status,
        script: ["echo hi"],
        user: "root",
        created_at: at(-3600 + id),
      };
      if (status === "manual") b.when = "manual";
      if (status !== "created" && status !== "manual") b.queued_at = at(-600 + id);
      if (["success", "failed", "running", "canceled"].includes(status)) {
        b.started_at = at(-500 + id);
        b.runner = 1;
      }
      if (["success", "failed", "canceled"].includes(status)) b.finished_at = at(-100 + id);
      if (status === "failed") b.failure_reason = "script_failure";
      if (status !== "created" && id % 4 === 0) b.trace = `trace of ${id}\n`;
      if (status === "success" && id % 3 === 0)
        b.artifacts = { contents: `artifacts of ${id}`, expire_at: at(60 * (id % 7)) };
      if (id % 5 === 0) b.coverage = 50 + id / 10;
      builds.push(b);
    }
  }
  return JSON.stringify({
    web_url: "http://gitlab.test",
    users: [{ id: 1, username: "root", admin: true, tokens: [ORACLE_TOKEN], email: "root@example.com" }],
    projects: [
      { id: 1, path: "acme/app", members: [{ user: "root", role: "master" }] },
      { id: 2, path: "acme/other" },
    ],
    runners: [{ id: 1, token: "oracle-runner", description: "oracle runner", projects: [1, 2] }],
    commits,
    pipelines,
    builds,
  });
}
