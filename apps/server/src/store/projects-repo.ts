// Projects, found by id or `namespace/project` path, with their members.

import type { AccessLevel, Project, ProjectMember } from "@buildsim/core";
import type { Db } from "./sql-db.js";

interface ProjectRow {
  id: number;
  path_with_namespace: string;
  name: string;
  description: string | null;
  visibility: string;
  public_builds: number;
  builds_enabled: number;
  default_branch: string;
  runners_token: string;
  created_at: string;
}

/** Reads and writes projects and memberships. */
export interface ProjectsRepo {
  get(id: number): Project | undefined;
  getByPath(path: string): Project | undefined;
  getByRunnersToken(token: string): Project | undefined;
  /** Every project, newest first (GitLab's default `order_by=created_at`, `sort=desc`). */
  list(): Project[];
  /** Inserts the project and its members. */
  insert(project: Project): void;
  /** Inserts `project`, or overwrites the project with its id, members included. */
  upsert(project: Project): void;
  /** The repository's default branch changed (a local work tree's `origin/HEAD` or checked-out branch). */
  setDefaultBranch(projectId: number, branch: string): void;
  setMember(projectId: number, userId: number, accessLevel: AccessLevel): void;
  /** The id the next inserted project gets. */
  nextId(): number;
}

/** {@link ProjectsRepo} on SQLite. */
export function createProjectsRepo(db: Db): ProjectsRepo {
  const byId = db.prepare("SELECT * FROM projects WHERE id = ?");
  const setDefaultBranch = db.prepare("UPDATE projects SET default_branch = ? WHERE id = ?");
  // GitLab finds projects by full path case-insensitively (Routable.find_by_full_path).
  const byPath = db.prepare("SELECT * FROM projects WHERE path_with_namespace = ? COLLATE NOCASE");
  const byRunnersToken = db.prepare("SELECT * FROM projects WHERE runners_token = ?");
  const allById = db.prepare("SELECT * FROM projects ORDER BY id DESC");
  const maxId = db.prepare("SELECT COALESCE(MAX(id), 0) AS m FROM projects");
  const membersOf = db.prepare("SELECT user_id, access_level FROM project_members WHERE project_id = ?");
  const insert = db.prepare(
    `INSERT INTO projects (id, path_with_namespace, name, description, visibility, public_builds, builds_enabled, default_branch, runners_token, created_at)
     VALUES (@id, @pathWithNamespace, @name, @description, @visibility, @publicBuilds, @buildsEnabled, @defaultBranch, @runnersToken, @createdAt)`,
  );
  const upsert = db.prepare(
    `INSERT INTO projects (id, path_with_namespace, name, description, visibility, public_builds, builds_enabled, default_branch, runners_token, created_at)
     VALUES (@id, @pathWithNamespace, @name, @description, @visibility, @publicBuilds, @buildsEnabled, @defaultBranch, @runnersToken, @createdAt)
     ON CONFLICT (id) DO UPDATE SET path_with_namespace = excluded.path_with_namespace, name = excluded.name,
       description = excluded.description, visibility = excluded.visibility, public_builds = excluded.public_builds,
       builds_enabled = excluded.builds_enabled, default_branch = excluded.default_branch,
       runners_token = excluded.runners_token, created_at = excluded.created_at`,
  );
  const deleteMembers = db.prepare("DELETE FROM project_members WHERE project_id = ?");
  const insertMember = db.prepare(
    "INSERT INTO project_members (project_id, user_id, access_level) VALUES (?, ?, ?) ON CONFLICT (project_id, user_id) DO UPDATE SET access_level = excluded.access_level",
  );

  const toProject = (r: ProjectRow): Project => ({
    id: r.id,
    pathWithNamespace: r.path_with_namespace,
    name: r.name,
    description: r.description,
    visibility: r.visibility as Project["visibility"],
    publicBuilds: r.public_builds === 1,
    buildsEnabled: r.builds_enabled === 1,
    defaultBranch: r.default_branch,
    runnersToken: r.runners_token,
    members: (membersOf.all(r.id) as { user_id: number; access_level: number }[]).map(
      (m): ProjectMember => ({ userId: m.user_id, accessLevel: m.access_level as AccessLevel }),
    ),
    createdAt: r.created_at,
  });

  return {
    get(id: number): Project | undefined {
      const r = byId.get(id) as ProjectRow | undefined;
      return r && toProject(r);
    },
    getByPath(path: string): Project | undefined {
      const r = byPath.get(path) as ProjectRow | undefined;
      return r && toProject(r);
    },
    getByRunnersToken(token: string): Project | undefined {
      const r = byRunnersToken.get(token) as ProjectRow | undefined;
      return r && toProject(r);
    },
    /** Every project, newest first (GitLab's default `order_by=created_at`, `sort=desc`). */
    list(): Project[] {
      return (allById.all() as ProjectRow[]).map(toProject);
    },
    /** Inserts the project and its members. */
    insert(project: Project): void {
      insert.run({
        ...project,
        publicBuilds: project.publicBuilds ? 1 : 0,
        buildsEnabled: project.buildsEnabled ? 1 : 0,
      });
      for (const m of project.members) insertMember.run(project.id, m.userId, m.accessLevel);
    },
    upsert(project: Project): void {
      upsert.run({
        ...project,
        publicBuilds: project.publicBuilds ? 1 : 0,
        buildsEnabled: project.buildsEnabled ? 1 : 0,
      });
      deleteMembers.run(project.id);
      for (const m of project.members) insertMember.run(project.id, m.userId, m.accessLevel);
    },
    /** The repository's default branch changed (a local work tree's `origin/HEAD` or checked-out branch). */
    setDefaultBranch(projectId: number, branch: string): void {
      setDefaultBranch.run(branch, projectId);
    },
    setMember(projectId: number, userId: number, accessLevel: AccessLevel): void {
      insertMember.run(projectId, userId, accessLevel);
    },
    nextId(): number {
      return (maxId.get() as { m: number }).m + 1;
    },
  };
}
