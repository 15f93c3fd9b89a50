// Environments and deployments tables: a project's environments by id or name, and each job's deployment.

import type { Deployment, Environment } from "@buildsim/core";
import type { Db } from "./sql-db.js";

interface EnvironmentRow {
  id: number;
  project_id: number;
  name: string;
  slug: string;
  external_url: string | null;
  state: string;
  tier: string;
  created_at: string;
  updated_at: string;
  auto_stop_at: string | null;
}

interface DeploymentRow {
  id: number;
  iid: number;
  project_id: number;
  environment_id: number;
  build_id: number;
  ref: string;
  sha: string;
  tag: number;
  status: string;
  user_id: number | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

const toEnvironment = (r: EnvironmentRow): Environment => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  slug: r.slug,
  externalUrl: r.external_url,
  state: r.state as Environment["state"],
  tier: r.tier as Environment["tier"],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  autoStopAt: r.auto_stop_at,
});

const toDeployment = (r: DeploymentRow): Deployment => ({
  id: r.id,
  iid: r.iid,
  projectId: r.project_id,
  environmentId: r.environment_id,
  buildId: r.build_id,
  ref: r.ref,
  sha: r.sha,
  tag: r.tag === 1,
  status: r.status as Deployment["status"],
  userId: r.user_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

/** Which environments `list` returns. */
export interface EnvironmentListQuery {
  projectId: number;
  name?: string;
  /** Case-insensitive substring of the name. */
  search?: string;
  states?: readonly Environment["state"][];
}

/** Environments and the deployments jobs make to them. */
export interface EnvironmentsRepo {
  get(id: number): Environment | undefined;
  getByName(projectId: number, name: string): Environment | undefined;
  /** A project's environments by id, filtered as the list endpoint asks. */
  list(q: EnvironmentListQuery): Environment[];
  /** Available environments whose `auto_stop_at` is at or before `at` (GitLab's `auto_stoppable`). */
  listAutoStopDue(at: string): Environment[];
  insert(e: Omit<Environment, "id">): Environment;
  save(e: Environment): void;
  deploymentOf(buildId: number): Deployment | undefined;
  /** The environment's latest successful deployment: what is deployed there now. */
  lastDeployment(environmentId: number): Deployment | undefined;
  insertDeployment(d: Omit<Deployment, "id" | "iid">): Deployment;
  saveDeployment(d: Deployment): void;
}

/** {@link EnvironmentsRepo} on SQLite. */
export function createEnvironmentsRepo(db: Db): EnvironmentsRepo {
  const envById = db.prepare("SELECT * FROM environments WHERE id = ?");
  const envByName = db.prepare("SELECT * FROM environments WHERE project_id = ? AND name = ?");
  const insertEnv = db.prepare(
    `INSERT INTO environments (project_id, name, slug, external_url, state, tier, created_at, updated_at, auto_stop_at)
     VALUES (@project_id, @name, @slug, @external_url, @state, @tier, @created_at, @updated_at, @auto_stop_at) RETURNING id`,
  );
  const updateEnv = db.prepare(
    `UPDATE environments SET external_url = @external_url, state = @state, tier = @tier, updated_at = @updated_at,
     auto_stop_at = @auto_stop_at WHERE id = @id`,
  );
  const autoStopDue = db.prepare(
    "SELECT * FROM environments WHERE state = 'available' AND auto_stop_at IS NOT NULL AND auto_stop_at <= ? ORDER BY id",
  );
  const deploymentByBuild = db.prepare("SELECT * FROM deployments WHERE build_id = ?");
  const lastSuccessful = db.prepare(
    "SELECT * FROM deployments WHERE environment_id = ? AND status = 'success' ORDER BY id DESC LIMIT 1",
  );
  const nextIid = db.prepare("SELECT COALESCE(MAX(iid), 0) + 1 AS iid FROM deployments WHERE project_id = ?");
  const insertDeployment = db.prepare(
    `INSERT INTO deployments (iid, project_id, environment_id, build_id, ref, sha, tag, status, user_id, created_at, updated_at, finished_at)
     VALUES (@iid, @project_id, @environment_id, @build_id, @ref, @sha, @tag, @status, @user_id, @created_at, @updated_at, @finished_at) RETURNING id`,
  );
  const updateDeployment = db.prepare(
    "UPDATE deployments SET status = @status, updated_at = @updated_at, finished_at = @finished_at WHERE id = @id",
  );
  const envParams = (e: Omit<Environment, "id"> & { id?: number }) => ({
    id: e.id,
    project_id: e.projectId,
    name: e.name,
    slug: e.slug,
    external_url: e.externalUrl,
    state: e.state,
    tier: e.tier,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    auto_stop_at: e.autoStopAt,
  });

  return {
    get(id: number): Environment | undefined {
      const row = envById.get(id) as EnvironmentRow | undefined;
      return row && toEnvironment(row);
    },
    getByName(projectId: number, name: string): Environment | undefined {
      const row = envByName.get(projectId, name) as EnvironmentRow | undefined;
      return row && toEnvironment(row);
    },
    /** Available environments whose `auto_stop_at` is at or before `at` (GitLab's `auto_stoppable`). */
    listAutoStopDue(at: string): Environment[] {
      return (autoStopDue.all(at) as EnvironmentRow[]).map(toEnvironment);
    },
    /** A project's environments by id, filtered as the list endpoint asks. */
    list(q: EnvironmentListQuery): Environment[] {
      const where = ["project_id = ?"];
      const args: unknown[] = [q.projectId];
      if (q.name !== undefined) {
        where.push("name = ?");
        args.push(q.name);
      }
      if (q.search !== undefined) {
        where.push("instr(lower(name), lower(?)) > 0");
        args.push(q.search);
      }
      if (q.states) {
        where.push(`state IN (${q.states.map(() => "?").join(", ")})`);
        args.push(...q.states);
      }
      const sql = `SELECT * FROM environments WHERE ${where.join(" AND ")} ORDER BY id`;
      return (db.prepare(sql).all(...args) as EnvironmentRow[]).map(toEnvironment);
    },
    insert(e: Omit<Environment, "id">): Environment {
      const id = (insertEnv.get(envParams(e)) as { id: number }).id;
      return { ...e, id };
    },
    save(e: Environment): void {
      updateEnv.run(envParams(e));
    },
    deploymentOf(buildId: number): Deployment | undefined {
      const row = deploymentByBuild.get(buildId) as DeploymentRow | undefined;
      return row && toDeployment(row);
    },
    /** The environment's latest successful deployment: what is deployed there now. */
    lastDeployment(environmentId: number): Deployment | undefined {
      const row = lastSuccessful.get(environmentId) as DeploymentRow | undefined;
      return row && toDeployment(row);
    },
    insertDeployment(d: Omit<Deployment, "id" | "iid">): Deployment {
      const iid = (nextIid.get(d.projectId) as { iid: number }).iid;
      const { id } = insertDeployment.get({
        iid,
        project_id: d.projectId,
        environment_id: d.environmentId,
        build_id: d.buildId,
        ref: d.ref,
        sha: d.sha,
        tag: d.tag ? 1 : 0,
        status: d.status,
        user_id: d.userId,
        created_at: d.createdAt,
        updated_at: d.updatedAt,
        finished_at: d.finishedAt,
      }) as { id: number };
      return { ...d, id, iid };
    },
    saveDeployment(d: Deployment): void {
      updateDeployment.run({
        id: d.id,
        status: d.status,
        updated_at: d.updatedAt,
        finished_at: d.finishedAt,
      });
    },
  };
}
