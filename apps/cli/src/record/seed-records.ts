// GitLab's v4 entities (as a real GitLab or a buildsim answers them) turned into the records of a seed
// file, the format `buildsim serve --seed` loads: ids kept, tokens left out (the seed makes new ones).

import { BUILD_STATUSES, FAILURE_REASONS } from "@buildsim/core";

/** A JSON object as read from a response. */
export type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const obj = (v: unknown): Json | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
/** Only the keys whose value is not undefined (the seed reader treats a missing key as "default"). */
const defined = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** `Entities::User` → a seed user (no tokens: the recorder adds its stand-in to its own user). */
export function userRecord(u: Json): Json {
  return defined({
    id: num(u.id),
    username: str(u.username),
    name: str(u.name),
    // Only `public_email` is shown of other users; the avatar URL is kept, so it renders the same.
    email: str(u.email) || str(u.public_email) || undefined,
    state: u.state === "blocked" ? "blocked" : "active",
    admin: u.is_admin === true ? true : undefined,
    created_at: str(u.created_at),
    avatar_url: str(u.avatar_url),
    bio: str(u.bio),
    location: str(u.location),
    skype: str(u.skype),
    linkedin: str(u.linkedin),
    twitter: str(u.twitter),
    website_url: str(u.website_url),
    organization: str(u.organization),
  });
}

/** `Entities::Project` → a seed project (members and protected branches are added by the recorder). */
export function projectRecord(p: Json): Json {
  return defined({
    id: num(p.id),
    path: str(p.path_with_namespace),
    name: str(p.name),
    description: str(p.description),
    visibility: str(p.visibility),
    public_builds: typeof p.public_jobs === "boolean" ? p.public_jobs : undefined,
    builds_enabled: typeof p.jobs_enabled === "boolean" ? p.jobs_enabled : undefined,
    default_branch: str(p.default_branch),
    created_at: str(p.created_at),
  });
}

/** `Entities::Commit` of project `projectId` → a seed commit (dates keep their offset). */
export function commitRecord(projectId: number, c: Json): Json {
  return defined({
    project: projectId,
    sha: str(c.id),
    message: str(c.message) ?? str(c.title),
    author_name: str(c.author_name),
    author_email: str(c.author_email),
    created_at: str(c.committed_date) ?? str(c.created_at),
    authored_date: str(c.authored_date),
    committer_name: str(c.committer_name),
    committer_email: str(c.committer_email),
    committed_date: str(c.committed_date),
    parent_ids: Array.isArray(c.parent_ids) ? c.parent_ids.filter((x) => typeof x === "string") : undefined,
  });
}

/** `Entities::Ci::Pipeline` → a seed pipeline, its status and times as they were. */
export function pipelineRecord(p: Json): Json {
  const coverage = typeof p.coverage === "string" ? Number.parseFloat(p.coverage) : num(p.coverage);
  return defined({
    id: num(p.id),
    iid: num(p.iid),
    project: num(p.project_id),
    sha: str(p.sha),
    ref: str(p.ref),
    tag: typeof p.tag === "boolean" ? p.tag : undefined,
    status: statusOf(p.status),
    source: str(p.source),
    user: num(obj(p.user)?.id),
    before_sha: str(p.before_sha),
    created_at: str(p.created_at),
    updated_at: str(p.updated_at),
    started_at: str(p.started_at),
    finished_at: str(p.finished_at),
    duration: num(p.duration),
    coverage: Number.isFinite(coverage) ? coverage : undefined,
  });
}

/** A status the seed knows (GitLab has a few more, such as `preparing`: read as pending). */
function statusOf(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  return (BUILD_STATUSES as readonly string[]).includes(v) ? v : "pending";
}

/** `Entities::Ci::Job` → a seed job, without its trace and artifacts (the recorder adds them). */
export function jobRecord(j: Json): Json {
  const status = statusOf(j.status);
  const startedAt = str(j.started_at);
  const queuedS = num(j.queued_duration);
  // The entity shows how long the job waited, not since when: queued_at is started_at minus the wait.
  const queuedAt =
    startedAt && queuedS !== undefined
      ? new Date(Date.parse(startedAt) - Math.round(queuedS * 1000)).toISOString()
      : undefined;
  const reason = str(j.failure_reason);
  return defined({
    id: num(j.id),
    pipeline: num(obj(j.pipeline)?.id),
    name: str(j.name),
    stage: str(j.stage),
    status,
    // The entity has no `when`; a manual or delayed job's status says it.
    when: status === "manual" ? "manual" : status === "scheduled" ? "delayed" : undefined,
    allow_failure: typeof j.allow_failure === "boolean" ? j.allow_failure : undefined,
    tags: Array.isArray(j.tag_list) ? j.tag_list.filter((t) => typeof t === "string") : undefined,
    created_at: str(j.created_at),
    queued_at: queuedAt,
    started_at: startedAt,
    finished_at: str(j.finished_at),
    coverage: num(j.coverage),
    runner: num(obj(j.runner)?.id),
    user: num(obj(j.user)?.id),
    failure_reason: reason && (FAILURE_REASONS as readonly string[]).includes(reason) ? reason : undefined,
    erased_at: str(j.erased_at),
  });
}

/** `Entities::Ci::Runner` (as a job shows it) → a seed runner; a project runner serves `projectId`. */
export function runnerRecord(r: Json, projectId: number): Json {
  const shared = r.is_shared === true;
  return defined({
    id: num(r.id),
    description: str(r.description),
    active: typeof r.active === "boolean" ? r.active : r.paused === true ? false : undefined,
    shared,
    name: str(r.name),
    projects: shared ? undefined : [projectId],
  });
}

/** The seed's role for a GitLab access level (Maintainer is the seed's `master`). */
export function roleOf(accessLevel: number): string | undefined {
  if (accessLevel >= 50) return "owner";
  if (accessLevel >= 40) return "master";
  if (accessLevel >= 30) return "developer";
  if (accessLevel >= 20) return "reporter";
  if (accessLevel >= 10) return "guest";
  return undefined;
}
