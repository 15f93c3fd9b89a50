// The current GitLab v4 entities a Job embeds (User, Commit, Runner, PipelineBasic), and the per-render
// lookup the caller passes them through.

import type {
  Commit,
  CommitEntityV4,
  Pipeline,
  PipelineBasicEntity,
  Project,
  Runner,
  RunnerEntity,
  User,
  UserEntityV4,
} from "@buildsim/core";
import type { EntityLookup } from "./entity-lookup.js";
import { gravatarUrl } from "./present-build-v3.js";

/** What v4 rendering reads besides the record itself, each record at most once per render. */
export interface EntityLookupV4 extends EntityLookup {
  project(id: number): Project | undefined;
  pipelineIid(pipeline: Pipeline): number;
  /** The build's `junit` report upload, for the job's `artifacts` array. */
  testReportFile(buildId: number): { filename: string; size: number } | undefined;
}

/** Context shared by every v4 presenter. */
export interface PresentV4Options {
  /** Now, for durations, runner online state and artifact expiry. */
  now: string;
  /** GitLab's base URL, e.g. `http://gitlab.dev`. */
  webUrl: string;
  lookup: EntityLookupV4;
}

/** `Entities::User` (current GitLab: UserBasic plus the public profile). */
export function presentUserV4(user: User, webUrl: string): UserEntityV4 {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: user.state,
    locked: false,
    avatar_url: user.avatarUrl ?? gravatarUrl(user.email),
    web_url: `${webUrl}/${user.username}`,
    created_at: user.createdAt,
    bio: user.bio ?? "",
    location: user.location ?? "",
    public_email: null,
    skype: user.skype,
    linkedin: user.linkedin,
    twitter: user.twitter,
    discord: "",
    website_url: user.websiteUrl,
    organization: user.organization ?? "",
    job_title: "",
    pronouns: null,
    bot: false,
  };
}

/** `Entities::Commit`; dates keep the commit's own timezone. */
export function presentCommitV4(commit: Commit, projectPath: string, webUrl: string): CommitEntityV4 {
  return {
    id: commit.sha,
    short_id: commit.sha.slice(0, 8),
    created_at: commit.committedDate,
    parent_ids: commit.parentIds,
    title: commit.message.split("\n", 1)[0] ?? "",
    message: commit.message,
    author_name: commit.authorName,
    author_email: commit.authorEmail,
    authored_date: commit.authoredDate,
    committer_name: commit.committerName,
    committer_email: commit.committerEmail,
    committed_date: commit.committedDate,
    trailers: {},
    extended_trailers: {},
    web_url: `${webUrl}/${projectPath}/-/commit/${commit.sha}`,
  };
}

/** GitLab counts a runner online when it was contacted in the last two hours. */
const ONLINE_WINDOW_MS = 2 * 60 * 60 * 1000;

/** `Entities::Ci::Runner` (current GitLab). */
export function presentRunnerV4(r: Runner, now: string): RunnerEntity {
  const online = r.contactedAt !== null && Date.parse(now) - Date.parse(r.contactedAt) < ONLINE_WINDOW_MS;
  let status = "never_contacted";
  if (r.contactedAt !== null) status = online ? "online" : "offline";
  return {
    id: r.id,
    description: r.description,
    ip_address: null,
    active: r.active,
    paused: !r.active,
    is_shared: r.isShared,
    runner_type: r.isShared ? "instance_type" : "project_type",
    name: r.name,
    online,
    status,
  };
}

/** `Entities::Ci::PipelineBasic` (current GitLab). */
export function presentPipelineBasicV4(
  p: Pipeline,
  projectPath: string,
  o: PresentV4Options,
): Required<PipelineBasicEntity> {
  return {
    id: p.id,
    iid: o.lookup.pipelineIid(p),
    project_id: p.projectId,
    sha: p.sha,
    ref: p.ref,
    status: p.status,
    source: p.source,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    web_url: `${o.webUrl}/${projectPath}/-/pipelines/${p.id}`,
  };
}
