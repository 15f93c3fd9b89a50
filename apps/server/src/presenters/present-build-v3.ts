// Renders the v3 `Entities::Build` (and the user, commit, runner and pipeline it embeds) with the key set
// and order of the seed document's examples (`docs`), or of GitLab 8.17's code (`gitlab-8.17`).

import { createHash } from "node:crypto";
import {
  type Build,
  type BuildEntityV3,
  type Commit,
  type CommitEntityV3,
  hasArtifacts,
  type Pipeline,
  type PipelineBasicEntity,
  type Runner,
  type RunnerEntity,
  type User,
  type UserEntityV3,
} from "@buildsim/core";
import type { ApiProfile } from "../profile.js";
import type { EntityLookup } from "./entity-lookup.js";

/** Which example's key set a `docs` response follows: erase and keep show `download_url` and no artifacts. */
export type BuildShape = "build" | "erase-keep";

/** What rendering needs besides the build. */
export interface PresentOptions {
  profile: ApiProfile;
  shape: BuildShape;
  /** Now, for `artifacts?` (expiry). */
  now: string;
  /** The GitLab base URL users' `web_url` is built on, e.g. `http://gitlab.dev`. */
  webUrl: string;
  lookup: EntityLookup;
}

/** Gravatar URLs by email: the same few users are embedded in every entity, and an md5 per render cost a tenth of a list page's first render. */
const gravatarUrls = new Map<string, string>();
/** Emails remembered before the memo starts over (a bound, not a tuning: instances have few users). */
const GRAVATAR_MEMO_MAX = 10_000;

/** The Gravatar URL GitLab shows for a user without an uploaded avatar. */
export function gravatarUrl(email: string): string {
  const known = gravatarUrls.get(email);
  if (known !== undefined) return known;
  const md5 = createHash("md5").update(email.trim().toLowerCase()).digest("hex");
  const url = `http://www.gravatar.com/avatar/${md5}?s=80&d=identicon`;
  if (gravatarUrls.size >= GRAVATAR_MEMO_MAX) gravatarUrls.clear();
  gravatarUrls.set(email, url);
  return url;
}

/** `Entities::User`: the docs' key set (alphabetical, no location/organization) or 8.17's. */
export function presentUserV3(user: User, profile: ApiProfile, webUrl: string): UserEntityV3 {
  const avatar = user.avatarUrl ?? gravatarUrl(user.email);
  if (profile === "docs") {
    return {
      avatar_url: avatar,
      bio: user.bio,
      created_at: user.createdAt,
      id: user.id,
      is_admin: user.isAdmin,
      linkedin: user.linkedin,
      name: user.name,
      skype: user.skype,
      state: user.state,
      twitter: user.twitter,
      username: user.username,
      web_url: `${webUrl}/u/${user.username}`,
      website_url: user.websiteUrl,
    };
  }
  return {
    name: user.name,
    username: user.username,
    id: user.id,
    state: user.state,
    avatar_url: avatar,
    web_url: `${webUrl}/${user.username}`,
    created_at: user.createdAt,
    is_admin: user.isAdmin,
    bio: user.bio,
    location: user.location,
    skype: user.skype,
    linkedin: user.linkedin,
    twitter: user.twitter,
    website_url: user.websiteUrl,
    organization: user.organization,
  };
}

/** `Entities::RepoCommit`; `created_at` is the commit date in the commit's own timezone. */
export function presentCommitV3(commit: Commit, profile: ApiProfile): CommitEntityV3 {
  const title = commit.message.split("\n", 1)[0] ?? "";
  if (profile === "docs") {
    return {
      author_email: commit.authorEmail,
      author_name: commit.authorName,
      created_at: commit.committedDate,
      id: commit.sha,
      message: commit.message,
      short_id: commit.sha.slice(0, 8),
      title,
    };
  }
  return {
    id: commit.sha,
    short_id: commit.sha.slice(0, 8),
    title,
    author_name: commit.authorName,
    author_email: commit.authorEmail,
    created_at: commit.committedDate,
    committer_name: commit.committerName,
    committer_email: commit.committerEmail,
    message: commit.message,
  };
}

/** `Entities::Runner`. */
export const presentRunner = (r: Runner): RunnerEntity => ({
  id: r.id,
  description: r.description,
  active: r.active,
  is_shared: r.isShared,
  name: r.name,
});

/** `Entities::PipelineBasic`. */
export const presentPipelineBasic = (p: Pipeline): PipelineBasicEntity => ({
  id: p.id,
  sha: p.sha,
  ref: p.ref,
  status: p.status,
});

/** The v3 Build entity for `build`. */
export function presentBuildV3(build: Build, o: PresentOptions): BuildEntityV3 {
  const userRec = o.lookup.user(build.userId);
  const commitRec = o.lookup.commit(build.projectId, build.sha);
  const runnerRec = o.lookup.runner(build.runnerId);
  const user = userRec ? presentUserV3(userRec, o.profile, o.webUrl) : null;
  const commit = commitRec ? presentCommitV3(commitRec, o.profile) : null;
  const runner = runnerRec ? presentRunner(runnerRec) : null;
  const artifacts =
    build.artifactsFile && hasArtifacts(build, o.now)
      ? { filename: build.artifactsFile.filename, size: build.artifactsFile.size }
      : null;

  if (o.profile === "docs") {
    if (o.shape === "erase-keep") {
      return {
        commit,
        coverage: build.coverage,
        download_url: null,
        id: build.id,
        name: build.name,
        ref: build.ref,
        runner,
        stage: build.stage,
        created_at: build.createdAt,
        started_at: build.startedAt,
        finished_at: build.finishedAt,
        status: build.status,
        tag: build.tag,
        user,
      };
    }
    return {
      commit,
      coverage: build.coverage,
      created_at: build.createdAt,
      artifacts_file: artifacts,
      finished_at: build.finishedAt,
      id: build.id,
      name: build.name,
      ref: build.ref,
      runner,
      stage: build.stage,
      started_at: build.startedAt,
      status: build.status,
      tag: build.tag,
      user,
    };
  }

  const pipelineRec = o.lookup.pipeline(build.pipelineId);
  const entity: BuildEntityV3 = {
    id: build.id,
    status: build.status,
    stage: build.stage,
    name: build.name,
    ref: build.ref,
    tag: build.tag,
    coverage: build.coverage,
    created_at: build.createdAt,
    started_at: build.startedAt,
    finished_at: build.finishedAt,
    user,
  } as BuildEntityV3;
  if (artifacts) entity.artifacts_file = artifacts;
  entity.commit = commit;
  entity.runner = runner;
  if (pipelineRec) entity.pipeline = presentPipelineBasic(pipelineRec);
  return entity;
}
