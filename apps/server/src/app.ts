// Everything a request handler needs, wired once per server: store, bus, services, profile, clock.

import type { ControllableClock, Project, User } from "@buildsim/core";
import { ServerEvents } from "./events/server-events.js";
import type { ApiError } from "./http/api-error.js";
import { DEFAULT_MAX_ANONYMOUS_BODY_BYTES } from "./http/read-body.js";
import { createReadCache, type ReadCache } from "./http/read-cache.js";
import { ResponseCache } from "./http/response-cache.js";
import type { ApiProfile } from "./profile.js";
import { type BuildActions, createBuildActions } from "./services/build-actions.js";
import { type BuildTransitions, createBuildTransitions } from "./services/build-transitions.js";
import { type CreatePipeline, createPipelineCreator } from "./services/create-pipeline.js";
import { createDownstreamPipelines, type DownstreamPipelines } from "./services/downstream-pipelines.js";
import { createPipelineFiles } from "./services/pipeline-files.js";
import { createTraces, type Traces } from "./services/traces.js";
import type { Store } from "./store/create-store.js";
import { VersionedMemo } from "./store/versioned-memo.js";

/** The wiring of one server. */
export interface App {
  store: Store;
  events: ServerEvents;
  profile: ApiProfile;
  /** Base URL users' `web_url` is built on. */
  webUrl: () => string;
  /** Now as an ISO 8601 UTC timestamp with milliseconds. */
  now: () => string;
  /** The server's time (real unless a test froze or moved it): every time-based rule reads it. */
  clock: ControllableClock;
  generateToken: () => string;
  transitions: BuildTransitions;
  actions: BuildActions;
  traces: Traces;
  /** Pipelines from `.gitlab-ci.yml` (local CI and `POST /projects/:id/pipeline`). */
  createPipeline: CreatePipeline;
  /** Trigger jobs' downstream pipelines, created once a bridge is pending (see `createApp`). */
  downstream: DownstreamPipelines;
  maxBodyBytes: number;
  /** Largest body read from a request with no token in its headers or query. */
  maxAnonymousBodyBytes: number;
  log: (line: string) => void;
  /** Token (+ sudo) → the caller or the error authenticating it, valid until the next write. */
  authMemo: VersionedMemo<User | ApiError>;
  /** `:id` → project, valid until the next write. */
  projectMemo: VersionedMemo<Project | undefined>;
  /** Rendered list responses, valid until the next write. */
  responseCache: ResponseCache;
  /** Build and job entities and their list pages, dropped only where a write changed them; null = off. */
  readCache: ReadCache | null;
  /** Where `GET /templates/gitlab_ci_ymls/:key` reads templates from; null serves none. */
  ciTemplatesDir: string | null;
}

/** What `createApp` needs. */
export interface AppOptions {
  store: Store;
  profile: ApiProfile;
  clock: ControllableClock;
  generateToken: () => string;
  webUrl: () => string;
  maxBodyBytes: number;
  /** @default 64 KiB */
  maxAnonymousBodyBytes?: number;
  log: (line: string) => void;
  events?: ServerEvents;
  /** @default null */
  ciTemplatesDir?: string | null;
  /** Bytes the build/job read cache may hold, or false for none (every read renders). @default 32 MiB */
  readCache?: number | false;
}

/** Wires the services around `store`. */
export function createApp(o: AppOptions): App {
  const events = o.events ?? new ServerEvents();
  // Asked for several times per request and per trace message: rendered once per millisecond.
  let nowMs = Number.NaN;
  let nowIso = "";
  const now = () => {
    const ms = o.clock.now();
    if (ms !== nowMs) {
      nowMs = ms;
      nowIso = new Date(ms).toISOString();
    }
    return nowIso;
  };
  const transitions = createBuildTransitions(o.store, events, o.generateToken);
  // Another server's write moves no local counter: its applied changes count as writes too.
  const version = () => o.store.version + o.store.changes.remoteApplied;
  const files = createPipelineFiles(o.store);
  const createPipeline = createPipelineCreator({
    store: o.store,
    transitions,
    now,
    generateToken: o.generateToken,
    files,
  });
  const traces = createTraces(o.store, events, now);
  const ciTemplatesDir = o.ciTemplatesDir ?? null;
  const downstream = createDownstreamPipelines({
    store: o.store,
    transitions,
    createPipeline,
    files,
    now,
    serverUrl: o.webUrl,
    ciTemplatesDir,
    // GitLab shows a failed creation's errors on the bridge's page; here they are its log.
    report: (bridge, lines) =>
      o.store.onCommit(() => {
        const length = o.store.builds.get(bridge.id)?.trace.bytes ?? 0;
        traces.appendTrace(bridge.id, length, Buffer.from(lines.map((l) => `${l}\n`).join("")));
      }),
  });
  // Like GitLab's CreateDownstreamPipelineWorker: after the commit that made the bridge pending, on its own.
  events.on("buildQueued", (build) => {
    if (!build.trigger) return;
    setImmediate(() => {
      // The server may have been closed in between.
      if (!o.store.isOpen()) return;
      try {
        downstream.trigger(build.id);
      } catch (error) {
        o.log(`downstream pipeline of job ${build.id} failed: ${(error as Error).stack ?? error}`);
        o.store.transaction(() => {
          const bridge = o.store.builds.get(build.id);
          if (bridge) transitions.fire(bridge, { type: "drop", at: now(), reason: "data_integrity_failure" });
        });
      }
    });
  });
  return {
    store: o.store,
    events,
    profile: o.profile,
    webUrl: o.webUrl,
    now,
    clock: o.clock,
    generateToken: o.generateToken,
    transitions,
    actions: createBuildActions({ store: o.store, transitions, now, generateToken: o.generateToken }),
    traces,
    createPipeline,
    downstream,
    maxBodyBytes: o.maxBodyBytes,
    maxAnonymousBodyBytes: o.maxAnonymousBodyBytes ?? DEFAULT_MAX_ANONYMOUS_BODY_BYTES,
    log: o.log,
    // Users, tokens and projects are not build or pipeline rows: only a write elsewhere can change them.
    authMemo: new VersionedMemo(() => o.store.changes.global),
    projectMemo: new VersionedMemo(() => o.store.changes.global),
    responseCache: new ResponseCache(version, () => o.clock.now(), o.readCache === false ? 0 : undefined),
    ciTemplatesDir,
    readCache: o.readCache === false ? null : createReadCache(o.store.changes, o.store.builds, o.readCache),
  };
}
