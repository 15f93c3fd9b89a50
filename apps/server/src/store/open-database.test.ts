import { describe, expect, it } from "vitest";
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

  it("creates the full schema", () => {
    const db = openDatabase(":memory:");
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
      expect(tables.map((t) => (t as { name: string }).name)).toEqual([
        "artifacts",
        "build_counts",
        "builds",
        "commits",
        "deployments",
        "environments",
        "personal_tokens",
        "pipelines",
        "project_members",
        "project_sources",
        "project_variables",
        "projects",
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
