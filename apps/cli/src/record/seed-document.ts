// Assembles a recording into one seed document: the users, projects (with the recording user's access and
// the protected branches), commits, pipelines, jobs and runners they name, each once, by id.

import type { Client } from "@buildsim/client";
import { commitRecord, type Json, roleOf, runnerRecord, userRecord } from "./seed-records.js";

/** An entity as the target answered it, and its seed record. */
export interface Recorded {
  entity: Json;
  record: Json;
}

/** What a recording holds when it is written. */
export interface SeedParts {
  /** `GET /user` of the recording token. */
  me: Json;
  /** The stand-in token the recording user gets in the seed (the real one is never written). */
  token: string;
  projects: Recorded[];
  pipelines: Recorded[];
  jobs: Recorded[];
}

const byId = (a: Json, b: Json) => (a.id as number) - (b.id as number);
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The seed document of a recording. */
export async function seedDocument(client: Client, parts: SeedParts): Promise<Json> {
  const { me } = parts;
  const users = new Map<number, Json>();
  const noteUser = (u: unknown) => {
    if (isObject(u) && typeof u.id === "number" && !users.has(u.id)) users.set(u.id, userRecord(u));
  };
  users.set(me.id as number, { ...userRecord(me), tokens: [parts.token] });
  const commits = new Map<string, Json>();
  const runners = new Map<number, Json>();
  for (const { entity } of parts.jobs) {
    noteUser(entity.user);
    const projectId = (entity.pipeline as Json).project_id as number;
    if (isObject(entity.commit)) {
      const commit = commitRecord(projectId, entity.commit);
      commits.set(`${projectId} ${commit.sha}`, commit);
    }
    if (isObject(entity.runner) && typeof entity.runner.id === "number") {
      const runner = runnerRecord(entity.runner, projectId);
      const known = runners.get(runner.id as number);
      const projects = [
        ...new Set([...((known?.projects as number[]) ?? []), ...((runner.projects as number[]) ?? [])]),
      ];
      runners.set(runner.id as number, projects.length > 0 ? { ...runner, projects } : runner);
    }
  }
  for (const { entity } of parts.pipelines) {
    noteUser(entity.user);
    const key = `${entity.project_id} ${entity.sha}`;
    if (!commits.has(key)) commits.set(key, await commitOf(client, entity));
  }
  const projects: Json[] = [];
  for (const { entity, record } of parts.projects) {
    projects.push({
      ...record,
      members: me.is_admin === true ? [] : [{ user: me.id, role: await roleIn(client, entity, me) }],
      ...(await protectedBranchesOf(client, record.id as number)),
    });
  }
  const webUrl =
    typeof me.web_url === "string" ? me.web_url.replace(new RegExp(`/${me.username}$`), "") : undefined;
  return {
    ...(webUrl ? { web_url: webUrl } : {}),
    users: [...users.values()].sort(byId),
    projects: projects.sort(byId),
    commits: [...commits.values()],
    pipelines: parts.pipelines.map((p) => p.record).sort(byId),
    builds: parts.jobs.map((j) => j.record).sort(byId),
    runners: [...runners.values()].sort(byId),
  };
}

/** The pipeline's commit from the target, or one with the pipeline's commit time when it has none to show. */
async function commitOf(client: Client, pipeline: Json): Promise<Json> {
  const projectId = pipeline.project_id as number;
  try {
    const { data } = await client.transport.request<Json>({
      method: "GET",
      path: `/api/v4/projects/${projectId}/repository/commits/${pipeline.sha}`,
    });
    return commitRecord(projectId, data);
  } catch {
    const at = typeof pipeline.committed_at === "string" ? pipeline.committed_at : undefined;
    return { project: projectId, sha: pipeline.sha, ...(at ? { created_at: at } : {}) };
  }
}

/**
 * The recording user's role in the project: GitLab's `permissions` on the project, else its membership
 * (`members/all`), else reporter, the least that reads a private project's jobs (it did read them).
 */
async function roleIn(client: Client, project: Json, me: Json): Promise<string> {
  const permissions = isObject(project.permissions) ? project.permissions : {};
  const levels = [permissions.project_access, permissions.group_access]
    .map((a) => (isObject(a) && typeof a.access_level === "number" ? a.access_level : 0))
    .filter((l) => l > 0);
  if (levels.length === 0) {
    try {
      const { data } = await client.transport.request<Json>({
        method: "GET",
        path: `/api/v4/projects/${project.id}/members/all/${me.id}`,
      });
      if (typeof data.access_level === "number") levels.push(data.access_level);
    } catch {
      // No membership API (a buildsim) or not a member: the fallback below.
    }
  }
  return roleOf(Math.max(0, ...levels)) ?? "reporter";
}

/** The project's protected branches as the seed writes them; nothing when the target does not show them. */
async function protectedBranchesOf(client: Client, projectId: number): Promise<Json> {
  const level = (list: unknown): number => {
    const first = Array.isArray(list) && isObject(list[0]) ? list[0].access_level : undefined;
    return typeof first === "number" && [0, 30, 40, 60].includes(first) ? first : 40;
  };
  try {
    const { data } = await client.transport.request<Json[]>({
      method: "GET",
      path: `/api/v4/projects/${projectId}/protected_branches`,
      query: { per_page: 100 },
    });
    return {
      protected_branches: data.filter(isObject).map((b) => ({
        name: b.name,
        push_access_level: level(b.push_access_levels),
        merge_access_level: level(b.merge_access_levels),
        allow_force_push: b.allow_force_push === true,
      })),
    };
  } catch {
    return {};
  }
}
