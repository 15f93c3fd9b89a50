// startServer: the whole API on node:http, listening (port 0 allowed) before the promise resolves.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import {
  CLOSE_CODES,
  type Clock,
  ControllableClock,
  type ProjectVariable,
  systemClock,
} from "@buildsim/core";
import { type App, createApp } from "./app.js";
import { randomToken } from "./auth/random-token.js";
import { type ClusterOptions, checkClusterOptions, createClusterBus } from "./cluster/create-cluster-bus.js";
import type { ClockControl } from "./controls/clock-control.js";
import {
  type ContractControls,
  type ContractControlsOptions,
  createContractControls,
} from "./controls/contract-controls.js";
import type { JobScripts } from "./controls/job-scripts.js";
import type { NamedSnapshots } from "./controls/named-snapshots.js";
import type { StateFixtures } from "./controls/state-fixtures.js";
import { ServerEvents } from "./events/server-events.js";
import { ensureAdminToken } from "./fixtures/ensure-admin-token.js";
import { loadSeedFile, loadSeedText } from "./fixtures/load-seed.js";
import { FaultPlan } from "./http/fault-plan.js";
import { createRequestHandler } from "./http/handle-request.js";
import { DEFAULT_MAX_BODY_BYTES } from "./http/read-body.js";
import { RequestJournal } from "./http/request-journal.js";
import { Router } from "./http/router.js";
import { createLocalCi, type LocalCi } from "./local-ci.js";
import { OPENAPI_PATH } from "./openapi/openapi-document.js";
import { createOpenApiRoute, OPENAPI_ROUTE_SPEC } from "./openapi/openapi-route.js";
import type { ApiProfile } from "./profile.js";
import { ADMIN_API_PREFIX, addAdminRoutes } from "./routes/buildsim/admin-routes.js";
import { addUiExtensionRoutes } from "./routes/buildsim/ui-extension-routes.js";
import type { RouteHandler } from "./routes/route-handler.js";
import { addRunnerApiRoutes } from "./routes/runner-api/runner-api-routes.js";
import {
  ensureRegistrationToken,
  REGISTRATION_TOKEN_KEY,
} from "./routes/runner-api/runner-registration-routes.js";
import { addV3Routes } from "./routes/v3/v3-routes.js";
import { SERVED_VERSION } from "./routes/v4/instance-routes.js";
import { addV4Routes } from "./routes/v4/v4-routes.js";
import { createClusterRelay } from "./services/cluster-relay.js";
import { createStore, type Store, type StoreOptions } from "./store/create-store.js";
import { VersionedMemo } from "./store/versioned-memo.js";
import { addWebUiRoutes, hasWebUi } from "./web-ui/web-ui-routes.js";
import { DEFAULT_WEB_UI_DIR } from "./web-ui-dir.js";
import { attachRealtime, type Realtime } from "./ws/attach-realtime.js";
import type { RealtimeOptions } from "./ws/realtime-options.js";

/** How to start buildsim's server. */
export interface StartServerOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Data directory (SQLite file + artifacts). @default ".buildsim" in the cwd */
  dataDir?: string;
  /**
   * `":memory:"` for an in-memory database (artifacts in a temp dir removed on close), or a
   * `postgres://user@host:port/database[?schema=NAME]` URL to keep the data in PostgreSQL, which several
   * servers can share (artifacts then stay under `dataDir`). @default SQLite under `dataDir`
   */
  db?: string;
  /** An already open store (the server closes it on close). Overrides `dataDir`/`db`. */
  store?: Store;
  /** A seed file to load (YAML or JSON) … */
  seedFile?: string;
  /** … or seed text. */
  seedText?: string;
  /** @default "docs" */
  profile?: ApiProfile;
  /**
   * Where the server's time comes from before any clock control moves it (tests pass a fake one).
   * @default () => new Date()
   */
  clock?: () => Date;
  /** Tokens for new builds and users. @default 20 random hex chars */
  generateToken?: () => string;
  /** Base URL of users' `web_url`. @default the seed's `web_url`, else the server's URL */
  webUrl?: string;
  /** @default 1 MiB */
  maxBodyBytes?: number;
  /** Largest body read before the caller is known (no token in the headers or query). @default 64 KiB */
  maxAnonymousBodyBytes?: number;
  /** Where unexpected errors are logged. @default console.error */
  log?: (line: string) => void;
  /**
   * Folder of CI templates served at `GET /api/v4/templates/gitlab_ci_ymls/:key` (`<key>.gitlab-ci.yml`).
   * @default `<dataDir>/ci-templates` with a data dir, else none
   */
  ciTemplatesDir?: string;
  /** Extra routes added after v3 and v4 and before the catch-all 404; each with its OpenAPI RouteSpec. */
  routes?: (router: Router<RouteHandler>, app: App) => void;
  /**
   * Layers that plug into the server before it listens (on the HTTP server's `upgrade` event, say).
   * Each may return a `close` run before the HTTP server closes.
   */
  extensions?: ServerExtension[];
  /** The runner protocol and trace watchers (heartbeats, timeouts, watcher buffers, timers). */
  realtime?: RealtimeOptions;
  /** Largest artifacts upload. @default 100 MiB */
  maxArtifactsBytes?: number;
  /**
   * The web UI build served at `/` and GitLab's page paths, or `false` for the API only.
   * @default the build shipped in this package (`dist/ui`), when present
   */
  webUiDir?: string | false;
  /**
   * Bytes the build/job read cache may hold (rendered entities and list pages), or false to render
   * every read (the oracle the cache is tested against). @default 32 MiB
   */
  readCache?: number | false;
  /**
   * The contract-testing controls (reset, request journal) on the handle and at `/-/buildsim/admin/`,
   * or false for none (no journal kept, no reset point copied at start). @default on
   */
  controls?: ContractControlsOptions | false;
  /**
   * Other servers sharing this one's database: `{ postgres: "postgres://…", channel? }` joins them over
   * PostgreSQL (LISTEN/NOTIFY; an advisory lock picks the one that runs the stuck-build watchdog), or
   * `{ network }` joins servers in this process. Traces reach watchers, cancels reach runners, and read
   * caches drop what any of them writes. @default with `db: "postgres://…"`, the servers on that database
   * and schema; alone otherwise
   */
  cluster?: ClusterOptions;
}

/** What an extension gets to plug into. */
export interface ServerHost {
  app: App;
  router: Router<RouteHandler>;
  httpServer: Server;
}

/** A layer added to the server; its optional `close` runs first on shutdown. */
export type ServerExtension = (host: ServerHost) => undefined | { close?: () => void | Promise<void> };

/** A running server. */
export interface RunningServer {
  /** `http://host:port` */
  url: string;
  port: number;
  host: string;
  /** A token of an admin user, usable right away. */
  token: string;
  /** The id of the admin user `token` belongs to (the owner `buildsim run` gives its local projects). */
  adminUserId: number;
  /**
   * Replaces every CI/CD variable of a project in one transaction (`buildsim run --variables-file`: the
   * file is the whole truth). The API sets them one by one; check each with `validateProjectVariable`.
   */
  replaceProjectVariables(projectId: number, variables: readonly ProjectVariable[]): void;
  /**
   * Local CI's set-up (`buildsim run`, `buildsim lint --project`): a local work tree as a project, the
   * local runner, and a pipeline created as a push would create it.
   */
  local: LocalCi;
  /** True when a seed was given but not loaded because the database already held data. */
  seedSkipped: boolean;
  /**
   * @internal The server's wiring (services, caches, clock). Not a stable surface: kept because the CLI's
   * tests drive builds in-process through it (`app.transitions.fire`, `app.traces.appendTrace`) where a
   * real runner would add nothing, as do extensions (`ServerHost.app`). Embed through the fields above
   * and the API instead.
   */
  app: App;
  events: ServerEvents;
  store: Store;
  httpServer: Server;
  /** Runner sessions and trace watchers (WebSocket). */
  realtime: Realtime;
  /** The instance's runner registration token (`POST /api/v4/runners` registers shared runners with it). */
  registrationToken: string;
  /** The web UI's address (`url` + `/`), or null when no UI is served. */
  webUiUrl: string | null;
  /**
   * Puts the server back as it started (seed, admin and registration tokens), empties the request
   * journal, removes every fault rule and drops runner links (they reconnect). Throws when started
   * with `controls: false`.
   */
  reset(): void;
  /** Every API request answered since the last reset (empty and unused with `controls: false`). */
  requests: RequestJournal;
  /** Fault rules: `add`, `list`, `remove`, `clear` (inert with `controls: false`). */
  faults: FaultPlan;
  /**
   * Named states: `take(name)`, `restore(name)`, `list()`, `drop(name)`. Throws on use when started
   * with `controls: false`.
   */
  snapshots: NamedSnapshots;
  /**
   * The server's time: `freeze(at?)`, `unfreeze()`, `set(at)`, `advance(by)`, `useRealTime()`, `info()`.
   * Throws on use when started with `controls: false`.
   */
  clock: ClockControl;
  /**
   * Jobs without a runner: `add(script)` plays matching jobs when queued (trace, duration on the clock,
   * artifacts, exit code), `steps` moves one by hand. Throws on use when started with `controls: false`.
   */
  jobs: JobScripts;
  /**
   * The state as data: `export()` writes it as a seed document, `load(fixture)` replaces the whole state
   * with a seed (text or document). Throws on use when started with `controls: false`.
   */
  fixtures: StateFixtures;
  /** This server in its cluster: its id on the bus, and whether it runs the cluster-wide chores now. */
  cluster: { serverId: string; isLeader(): boolean };
  /** Stops listening, ends open connections and closes the store. */
  close(): Promise<void>;
}

/** Opens the store, loads the seed, and listens. Resolves once the server accepts connections. */
/**
 * Servers that share a PostgreSQL schema are one cluster: without the bus, one server's caches, watchers
 * and runners would not hear the others' writes. The channel is named after the schema, so servers on
 * other schemas of the same database stay apart.
 */
function clusterOfDatabase(db: string | undefined): ClusterOptions | undefined {
  if (db === undefined || !/^postgres(ql)?:/.test(db)) return undefined;
  const url = new URL(db);
  const schema = url.searchParams.get("schema") ?? "public";
  url.searchParams.delete("schema");
  return {
    postgres: url.toString(),
    channel: (schema === "public" ? "buildsim" : `buildsim_${schema}`).slice(0, 63),
  };
}

/** Where `db` and `dataDir` put the data. */
function storeOptionsOf(options: StartServerOptions): StoreOptions {
  const dataDir = options.dataDir === undefined ? {} : { dataDir: options.dataDir };
  if (options.db === undefined) return dataDir;
  if (options.db === ":memory:") return { memory: true };
  if (/^postgres(ql)?:/.test(options.db)) return { postgres: options.db, ...dataDir };
  throw new Error(`db must be ":memory:" or a postgres:// URL, got "${options.db}"`);
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const base: Clock = options.clock
    ? { ...systemClock, now: () => (options.clock as () => Date)().getTime() }
    : systemClock;
  const clock = new ControllableClock(base);
  const nowIso = () => new Date(clock.now()).toISOString();
  const generateToken = options.generateToken ?? randomToken;
  const cluster = options.cluster ?? clusterOfDatabase(options.db);
  checkClusterOptions(cluster);
  const store = options.store ?? createStore(storeOptionsOf(options));
  // A seed fills an empty database only: restarting on the same data directory keeps what is there.
  const seedSkipped = (options.seedFile !== undefined || options.seedText !== undefined) && !store.isEmpty();
  try {
    const now = nowIso();
    if (!seedSkipped && options.seedFile) loadSeedFile(store, options.seedFile, now, generateToken);
    if (!seedSkipped && options.seedText) loadSeedText(store, options.seedText, "seed", now, generateToken);
  } catch (e) {
    store.close();
    throw e;
  }
  const token = ensureAdminToken(store, nowIso(), generateToken);

  let serverUrl = "";
  const webUrlSetting = new VersionedMemo<string | undefined>(() => store.changes.global);
  const app = createApp({
    store,
    profile: options.profile ?? "docs",
    clock,
    generateToken,
    // The setting is read once per global change (a settings write is one), not once per render.
    webUrl: () =>
      options.webUrl ?? webUrlSetting.get("web_url", () => store.settings.get("web_url")) ?? serverUrl,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    ...(options.maxAnonymousBodyBytes === undefined
      ? {}
      : { maxAnonymousBodyBytes: options.maxAnonymousBodyBytes }),
    log: options.log ?? ((line) => console.error(line)),
    events: new ServerEvents(),
    ciTemplatesDir:
      options.ciTemplatesDir ?? (options.dataDir ? path.join(options.dataDir, "ci-templates") : null),
    ...(options.readCache === undefined ? {} : { readCache: options.readCache }),
  });
  const bus = createClusterBus(cluster, app.log);
  // What runners vouch for reaches the leader well within the silence it tolerates.
  const relay = createClusterRelay(app, bus, {
    vouchReportMs: Math.min(1000, (options.realtime?.heartbeatTimeoutMs ?? 30_000) / 4),
  });
  // Rendered entities hold durations and expiries as of their render: a jump of the clock stales them.
  clock.onMove(() => store.invalidateCaches());
  // The reset point: the seed with the tokens the handle hands out (the registration token is made here
  // rather than after the routes, so it is part of it).
  const registrationToken = ensureRegistrationToken(app);
  let realtime: Realtime | undefined;
  const controls: ContractControls | undefined =
    options.controls === false
      ? undefined
      : createContractControls(
          {
            app,
            store,
            clock,
            runByServer: (id) => realtime?.runners.watchdog.runByServer(id),
            adminToken: token,
            registrationToken: { key: REGISTRATION_TOKEN_KEY, value: registrationToken },
            dropRunnerLinks: (ids) => {
              for (const id of ids)
                for (const s of realtime?.runners.sessionsOf(id) ?? [])
                  s.close(CLOSE_CODES.GOING_AWAY, "buildsim reset");
            },
          },
          options.controls,
        );
  const router = new Router<RouteHandler>();
  if (controls) addAdminRoutes(router, controls);
  addV3Routes(router);
  addV4Routes(router);
  addUiExtensionRoutes(router);
  addRunnerApiRoutes(router, {
    ...(options.maxArtifactsBytes === undefined ? {} : { maxArtifactsBytes: options.maxArtifactsBytes }),
  });
  // However a runner was deleted (its own token, or a user), its sessions end.
  app.events.on("runnerDeleted", (id) => {
    for (const s of realtime?.runners.sessionsOf(id) ?? [])
      s.close(CLOSE_CODES.UNAUTHORIZED, "runner deleted");
  });
  options.routes?.(router, app);
  router.add(
    "GET",
    OPENAPI_PATH,
    createOpenApiRoute(() => router.list(), SERVED_VERSION.version),
    OPENAPI_ROUTE_SPEC,
  );
  // Last: the UI's page routes take any GET path that names a project.
  const webUiDir = options.webUiDir ?? (hasWebUi(DEFAULT_WEB_UI_DIR) ? DEFAULT_WEB_UI_DIR : false);
  if (webUiDir !== false) addWebUiRoutes(router, { dir: webUiDir });
  let requestCount = 0;
  const httpServer: Server = createServer(
    { keepAliveTimeout: 5000 },
    createRequestHandler(
      app,
      router,
      () => `req-${++requestCount}`,
      controls && {
        observes: (rawUrl) => !rawUrl.startsWith(ADMIN_API_PREFIX),
        ended: (request) => controls.requests.record(request),
        nowMs: () => clock.now(),
        faults: controls.faults,
      },
    ),
  );

  realtime = attachRealtime(httpServer, app, () => serverUrl, options.realtime, controls?.faults, relay.link);
  relay.attach(realtime.clusterTargets);
  const closers = (options.extensions ?? []).map((extend) => extend({ app, router, httpServer })?.close);

  const host = options.host ?? "127.0.0.1";
  // Listening before the bus hears the other servers would miss what they commit meanwhile.
  await bus
    .connected()
    .then(
      () =>
        new Promise<void>((resolve, reject) => {
          httpServer.once("error", reject);
          httpServer.listen(options.port ?? 0, host, () => {
            httpServer.off("error", reject);
            resolve();
          });
        }),
    )
    .catch(async (e: unknown) => {
      relay.close();
      realtime?.close();
      clock.dispose();
      controls?.close();
      await bus.close();
      store.close();
      throw e;
    });
  const port = (httpServer.address() as AddressInfo).port;
  serverUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: serverUrl,
    port,
    host,
    token,
    adminUserId: store.users.firstAdmin()!.id,
    replaceProjectVariables(projectId, variables) {
      store.transaction(() => store.projectVariables.replaceAll(projectId, variables));
    },
    local: createLocalCi(app),
    seedSkipped,
    app,
    events: app.events,
    store,
    httpServer,
    realtime,
    registrationToken,
    webUiUrl: webUiDir === false ? null : `${serverUrl}/`,
    cluster: { serverId: bus.serverId, isLeader: () => bus.isLeader() },
    reset() {
      if (!controls) throw new Error("this server was started with controls: false");
      controls.reset();
    },
    requests: controls?.requests ?? new RequestJournal(),
    faults: controls?.faults ?? new FaultPlan(),
    get snapshots(): NamedSnapshots {
      if (!controls) throw new Error("this server was started with controls: false");
      return controls.snapshots;
    },
    get clock(): ClockControl {
      if (!controls) throw new Error("this server was started with controls: false");
      return controls.clock;
    },
    get jobs(): JobScripts {
      if (!controls) throw new Error("this server was started with controls: false");
      return controls.jobs;
    },
    get fixtures(): StateFixtures {
      if (!controls) throw new Error("this server was started with controls: false");
      return controls.fixtures;
    },
    close() {
      closing ??= (async () => {
        relay.close();
        realtime?.close();
        clock.dispose();
        for (const close of closers) await close?.();
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        });
        controls?.close();
        await bus.close();
        store.close();
      })();
      return closing;
    },
  };
}
