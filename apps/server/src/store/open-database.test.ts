import { newBuild } from "@buildsim/core";
import { describe, expect, it } from "vitest";
import { COLUMNS, toParams } from "./build-rows.js";
import { MIGRATIONS } from "./migrations.js";
import { migrate, openDatabase } from "./open-database.js";

describe("migrations", () => {
  it("applies every migration once, in order, and records each", () => {
    const db = openDatabase(":memory:");
    try {
      const rows = db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all();
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      expect(migrate(db, MIGRATIONS)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it("applies only the migrations added since", () => {
    const db = openDatabase(":memory:", MIGRATIONS.slice(0, 1));
    try {
      expect(
        migrate(db, [...MIGRATIONS, { version: 99, name: "extra", sql: "CREATE TABLE extra (x INTEGER)" }]),
      ).toEqual([...MIGRATIONS.slice(1).map((m) => m.version), 99]);
    } finally {
      db.close();
    }
  });

  it("rolls back a failing migration entirely", () => {
    const db = openDatabase(":memory:");
    try {
      expect(() =>
        migrate(db, [
          { version: 50, name: "broken", sql: "CREATE TABLE half (x INTEGER); SELECT * FROM missing;" },
        ]),
      ).toThrow();
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
      expect(db.prepare("SELECT version FROM schema_migrations WHERE version = 50").get()).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it("protects every existing project's default branch when protected branches arrive", () => {
    // Before migration 13 buildsim treated the default branch as protected; the rule keeps that.
    const before = MIGRATIONS.filter((m) => m.version < 13);
    const db = openDatabase(":memory:", before);
    try {
      db.prepare(
        `INSERT INTO projects (id, path_with_namespace, name, visibility, public_builds, builds_enabled,
           default_branch, runners_token, created_at)
         VALUES (7, 'a/b', 'b', 'private', 1, 1, 'trunk', 't', '2026-01-01T00:00:00.000Z')`,
      ).run();
      migrate(db, MIGRATIONS);
      expect(db.prepare("SELECT project_id, name, push_access_level FROM protected_branches").all()).toEqual([
        { project_id: 7, name: "trunk", push_access_level: 40 },
      ]);
    } finally {
      db.close();
    }
  });

  it("indexes the builds that already need jobs by the names they need when build_needs arrives", () => {
    const db = openDatabase(
      ":memory:",
      MIGRATIONS.filter((m) => m.version < 22),
    );
    try {
      // Rows only: the project and pipeline they point at do not matter to this migration.
      db.pragma("foreign_keys = OFF");
      const insert = db.prepare(
        `INSERT INTO builds (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map((c) => `@${c}`).join(", ")})`,
      );
      const build = (id: number, needs: string[] | null) =>
        newBuild({
          id,
          projectId: 1,
          pipelineId: 4,
          name: `job-${id}`,
          ref: "main",
          sha: "a".repeat(40),
          token: `t${id}`,
          createdAt: "2026-01-01T00:00:00.000Z",
          needs,
        });
      insert.run(toParams(build(1, null)));
      insert.run(toParams(build(2, [])));
      insert.run(toParams(build(3, ["job-1", "job-2", "job-1"])));
      migrate(db, MIGRATIONS);
      expect(db.prepare("SELECT pipeline_id, name, build_id FROM build_needs ORDER BY name").all()).toEqual([
        { pipeline_id: 4, name: "job-1", build_id: 3 },
        { pipeline_id: 4, name: "job-2", build_id: 3 },
      ]);
    } finally {
      db.close();
    }
  });

  it("creates the full schema", () => {
    const db = openDatabase(":memory:");
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
      expect(tables.map((t) => (t as { name: string }).name)).toEqual([
        "artifacts",
        "build_counts",
        "build_needs",
        "builds",
        "commits",
        "deployments",
        "environments",
        "id_floors",
        "personal_tokens",
        "pipeline_triggers",
        "pipeline_variables",
        "pipelines",
        "project_members",
        "project_sources",
        "project_variables",
        "projects",
        "protected_branches",
        "resource_groups",
        "runner_projects",
        "runners",
        "schema_migrations",
        "settings",
        "test_reports",
        "trace_chunks",
        "users",
      ]);
    } finally {
      db.close();
    }
  });
});
