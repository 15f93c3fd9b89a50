// The store: one database (SQLite, or PostgreSQL for several servers) plus the artifacts directory, its
// repositories, and write transactions that bump a version counter so read caches know when to drop what
// they hold.

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileBlobs } from "./artifact-blobs.js";
import { type ArtifactsRepo, createArtifactsRepo } from "./artifacts-repo.js";
import { type BuildsRepo, createBuildsRepo } from "./builds-repo.js";
import { ChangeLog } from "./change-log.js";
import { type CommitsRepo, createCommitsRepo } from "./commits-repo.js";
import { createEnvironmentsRepo, type EnvironmentsRepo } from "./environments-repo.js";
import { openDatabase } from "./open-database.js";
import { createPipelineTriggersRepo, type PipelineTriggersRepo } from "./pipeline-triggers-repo.js";
import { createPipelineVariablesRepo, type PipelineVariablesRepo } from "./pipeline-variables-repo.js";
import { createPipelinesRepo, type PipelinesRepo } from "./pipelines-repo.js";
import type { TraceRun } from "./postgres/async-trace-writer.js";
import { createPostgresBackend } from "./postgres/postgres-backend.js";
import { createProjectSourcesRepo, type ProjectSourcesRepo } from "./project-sources-repo.js";
import { createProjectVariablesRepo, type ProjectVariablesRepo } from "./project-variables-repo.js";
import { createProjectsRepo, type ProjectsRepo } from "./projects-repo.js";
import { createProtectedBranchesRepo, type ProtectedBranchesRepo } from "./protected-branches-repo.js";
import { createResourceGroupsRepo, type ResourceGroupsRepo } from "./resource-groups-repo.js";
import { pauseBeforeRetry } from "./retry-pause.js";
import { createRunnersRepo, type RunnersRepo } from "./runners-repo.js";
import { createSettingsRepo, type SettingsRepo } from "./settings-repo.js";
import type { Db } from "./sql-db.js";
import { sqliteCatalog } from "./sqlite-catalog.js";
import type { StoreBackend } from "./store-backend.js";
import {
  dropAllSnapshots,
  dropSnapshot,
  restoreSnapshot,
  type StoreSnapshot,
  takeSnapshot,
} from "./table-snapshot.js";
import { createTestReportsRepo, type TestReportsRepo } from "./test-reports-repo.js";
import { createTracesRepo, type TracesRepo } from "./traces-repo.js";
import { createUsersRepo, type UsersRepo } from "./users-repo.js";
import { startWalCheckpointer } from "./wal-checkpointer.js";

/** Where the store keeps its data. */
export interface StoreOptions {
  /** A directory holding `buildsim.db` and `artifacts/`; created if missing. Ignored with `memory`. */
  dataDir?: string;
  /**
   * A throwaway store: SQLite in memory, or with `postgres` a schema of its own, dropped on close.
   * Artifacts then go to a temporary directory removed on close.
   */
  memory?: boolean;
  /**
   * A `postgres://` URL: keep the data in PostgreSQL instead of SQLite (issue #16), in the URL's
   * `?schema=` (default `public`). Several servers may share it.
   */
  postgres?: string;
}

/** The default data directory: `.buildsim/` in the current working directory. */
export const DEFAULT_DATA_DIR = ".buildsim";

/**
 * Everything the server keeps: its repositories and write transactions. Nothing outside `store/` sees
 * SQL; a second backend (PostgreSQL, issue #16) implements this interface and the repositories'.
 *
 * It is synchronous on purpose: services rely on `transaction(fn)` running all of `fn` (reads, the
 * machine's decision, writes) in one turn of the event loop, so no other request can interleave between
 * a read and the write that depends on it (two runners can never claim the same build) without locks.
 * A networked backend must make `transaction` and the repositories async together; that is one change
 * across services, not one per method, so the methods are not made `Promise`-returning piecemeal.
 */
export interface Store {
  users: UsersRepo;
  projects: ProjectsRepo;
  commits: CommitsRepo;
  pipelines: PipelinesRepo;
  builds: BuildsRepo;
  runners: RunnersRepo;
  traces: TracesRepo;
  artifacts: ArtifactsRepo;
  testReports: TestReportsRepo;
  settings: SettingsRepo;
  /** Local work trees that back projects (local CI). */
  projectSources: ProjectSourcesRepo;
  /** Projects' CI/CD variables. */
  projectVariables: ProjectVariablesRepo;
  /** `resource_group:` keys per project and their process modes. */
  resourceGroups: ResourceGroupsRepo;
  /** Environments and the deployments jobs make to them. */
  environments: EnvironmentsRepo;
  /** Protected branch rules per project. */
  protectedBranches: ProtectedBranchesRepo;
  /** The variables each pipeline was created with. */
  pipelineVariables: PipelineVariablesRepo;
  /** Projects' pipeline trigger tokens. */
  pipelineTriggers: PipelineTriggersRepo;
  /** No users and no projects yet: a fresh database (the server then loads its seed). */
  isEmpty(): boolean;
  /** Increases with every committed write; caches compare it to know they are stale. */
  readonly version: number;
  /** What each committed write changed, for caches that drop only what a write affects. */
  readonly changes: ChangeLog;
  /**
   * Runs `fn` in one database transaction (nested calls join the outer one). On commit the version is
   * bumped and the deferred file operations run; on error everything is rolled back. On PostgreSQL a
   * transaction that lost a race with another server's is run again, so `fn` must not act outside the
   * store except through `onCommit`.
   */
  transaction<T>(fn: () => T): T;
  /** Runs `op` after the current transaction commits (at once outside one): file deletions, events. */
  onCommit(op: () => void): void;
  /** Copies every row and artifact file (the contract-testing controls' reset point and snapshots). */
  snapshot(): StoreSnapshot;
  /**
   * Replaces the whole store with `snapshot` in one transaction; every cache sees it as a change of
   * everything. Artifact files are put back once it has committed.
   */
  restore(snapshot: StoreSnapshot): void;
  /** Frees what `snapshot` holds on disk. */
  dropSnapshot(snapshot: StoreSnapshot): void;
  /** Marks every cached render stale without a write (the clock jumped: durations, expiries differ). */
  invalidateCaches(): void;
  /**
   * Only where a trace append is a network round trip (PostgreSQL): appends runs of distinct builds that
   * each start at their build's stored length, without blocking the event loop, and resolves with
   * whether each was stored (committed, with the change log told). A run not stored (its build's length
   * was elsewhere, or the build is gone) is for `traces.append`, which handles every case. A stored
   * run's `notices` are NOTIFYed on `channel` in the same commit.
   */
  extendTracesAsync?: (runs: readonly TraceRun[], at: string, channel?: string) => Promise<boolean[]>;
  /** Closes the database; an in-memory store also removes its artifacts directory. */
  close(): void;
  /** False once `close` ran (work scheduled for later checks it). */
  isOpen(): boolean;
}

/** The SQLite store, with its database handle for the store's own tests; everything else takes a {@link Store}. */
export interface SqliteStore extends Store {
  readonly db: Db;
}

/** Opens (creating and migrating as needed) the store: PostgreSQL with `postgres`, SQLite otherwise. */
export function createStore(options: StoreOptions = {}): Store {
  if (options.postgres !== undefined) return assembleStore(createPostgresBackend(options.postgres, options));
  return createSqliteStore(options);
}

/** {@link createStore} on SQLite, typed with the database handle (only `store/` tests read it). */
export function createSqliteStore(options: StoreOptions = {}): SqliteStore {
  const memory = options.memory === true;
  let artifactsDir: string;
  let dbFile: string;
  if (memory) {
    artifactsDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-artifacts-"));
    dbFile = ":memory:";
  } else {
    const dataDir = path.resolve(options.dataDir ?? DEFAULT_DATA_DIR);
    artifactsDir = path.join(dataDir, "artifacts");
    mkdirSync(artifactsDir, { recursive: true });
    dbFile = path.join(dataDir, "buildsim.db");
  }
  const db = openDatabase(dbFile);
  const checkpointer = memory ? undefined : startWalCheckpointer(db, dbFile);
  const totalChanges = db.prepare("SELECT total_changes()").pluck();
  const store = assembleStore({
    db,
    artifactsDir,
    artifactBlobs: fileBlobs(artifactsDir),
    catalog: sqliteCatalog(db),
    totalChanges: () => totalChanges.get() as number,
    // One process owns an SQLite database: no other writer can make a transaction lose a race.
    isRetryable: () => false,
    countSlot: 0,
    writingWith: false,
    close() {
      if (db.open) {
        checkpointer?.stop();
        // What closing the last connection does, done while the worker's connection may still be open:
        // everything copied into the database file and the log emptied.
        if (checkpointer) db.pragma("wal_checkpoint(TRUNCATE)");
        db.close();
      }
      if (memory) rmSync(artifactsDir, { recursive: true, force: true });
    },
  });
  return Object.assign(store, { db });
}

/** How many times a transaction that lost a race with another server's is run before giving up. */
const MAX_ATTEMPTS = 20;

/** The store over a backend: repositories, transactions with their change log, snapshots. */
function assembleStore(backend: StoreBackend): Store {
  const { db, artifactsDir, catalog } = backend;
  let version = 0;
  const changes = new ChangeLog();
  let afterCommit: Array<() => void> = [];
  // One transaction wrapper for every call: better-sqlite3 builds a wrapper (five functions and their
  // properties) per `db.transaction(fn)`, which cost a one-line trace commit ~4 % of the server's time.
  const nothing = () => undefined;
  let body: () => unknown = nothing;
  const runBody = db.transaction(() => body());

  const used = db.prepare("SELECT (EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM projects)) AS used");
  const store: Store = {
    users: createUsersRepo(db),
    projects: createProjectsRepo(db),
    commits: createCommitsRepo(db),
    pipelines: createPipelinesRepo(db, changes, backend.countSlot),
    builds: createBuildsRepo(db, changes, backend.countSlot),
    runners: createRunnersRepo(db, changes),
    traces: createTracesRepo(db, changes, backend.writingWith),
    artifacts: createArtifactsRepo(db, artifactsDir, backend.artifactBlobs),
    testReports: createTestReportsRepo(db),
    settings: createSettingsRepo(db),
    projectSources: createProjectSourcesRepo(db),
    projectVariables: createProjectVariablesRepo(db),
    resourceGroups: createResourceGroupsRepo(db),
    environments: createEnvironmentsRepo(db),
    protectedBranches: createProtectedBranchesRepo(db),
    pipelineVariables: createPipelineVariablesRepo(db),
    pipelineTriggers: createPipelineTriggersRepo(db),
    isEmpty(): boolean {
      return (used.get() as { used: number }).used === 0;
    },
    get version(): number {
      return version;
    },
    changes,
    transaction<T>(fn: () => T): T {
      if (db.inTransaction) return fn();
      for (let attempt = 1; ; attempt++) {
        const pending: Array<() => void> = [];
        afterCommit = pending;
        changes.begin();
        const rowsBefore = backend.totalChanges();
        try {
          let result: T;
          try {
            body = fn;
            result = runBody() as T;
          } catch (e) {
            changes.rollback();
            if (attempt < MAX_ATTEMPTS && backend.isRetryable(e)) {
              pauseBeforeRetry(attempt);
              continue;
            }
            throw e;
          }
          changes.commit(backend.totalChanges() - rowsBefore);
          version++;
          for (const op of pending) op();
          return result;
        } finally {
          afterCommit = [];
          // Not kept alive by the wrapper until the next transaction (a batch's chunks, say).
          body = nothing;
        }
      }
    },
    onCommit(op: () => void): void {
      if (db.inTransaction) afterCommit.push(op);
      else op();
    },
    snapshot(): StoreSnapshot {
      return takeSnapshot(db, catalog, artifactsDir);
    },
    restore(snapshot: StoreSnapshot): void {
      store.transaction(() => store.onCommit(restoreSnapshot(db, catalog, artifactsDir, snapshot)));
    },
    dropSnapshot,
    invalidateCaches(): void {
      changes.everythingChanged();
      version++;
    },
    close(): void {
      dropAllSnapshots(artifactsDir);
      backend.close();
    },
    isOpen(): boolean {
      return db.open;
    },
  };
  const writer = backend.traceWriter;
  if (writer)
    store.extendTracesAsync = async (runs, at, channel) => {
      const stored = await writer.extend(runs, at, channel);
      // Committed on their own connection, outside any transaction of the store: the log is told now,
      // as a commit of two rows (the build's length, the chunk) per stored run.
      stored.forEach((moved, i) => {
        if (moved) changes.buildRowChanged(2, runs[i]!.buildId);
      });
      if (stored.includes(true)) version++;
      return stored;
    };
  return store;
}
