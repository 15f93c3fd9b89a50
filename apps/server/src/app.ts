// Everything a request handler needs, wired once per server: store, bus, services, profile, clock.

import type { Project, User } from "@buildsim/core";
import { ServerEvents } from "./events/server-events.js";
import type { ApiError } from "./http/api-error.js";
import { DEFAULT_MAX_ANONYMOUS_BODY_BYTES } from "./http/read-body.js";
import { ResponseCache } from "./http/response-cache.js";
import type { ApiProfile } from "./profile.js";
import { type BuildActions, createBuildActions } from "./services/build-actions.js";
import { type BuildTransitions, createBuildTransitions } from "./services/build-transitions.js";
import { type CreatePipeline, createPipelineCreator } from "./services/create-pipeline.js";
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
  generateToken: () => string;
  transitions: BuildTransitions;
  actions: BuildActions;
  traces: Traces;
  /** Pipelines from `.gitlab-ci.yml` (local CI and `POST /projects/:id/pipeline`). */
  createPipeline: CreatePipeline;
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
  /** Where `GET /templates/gitlab_ci_ymls/:key` reads templates from; null serves none. */
  ciTemplatesDir: string | null;
}

/** What `createApp` needs. */
export interface AppOptions {
  store: Store;
  profile: ApiProfile;
  clock: () => Date;
  generateToken: () => string;
  webUrl: () => string;
  maxBodyBytes: number;
  /** @default 64 KiB */
  maxAnonymousBodyBytes?: number;
  log: (line: string) => void;
  events?: ServerEvents;
  /** @default null */
  ciTemplatesDir?: string | null;
}

/** Wires the services around `store`. */
export function createApp(o: AppOptions): App {
  const events = o.events ?? new ServerEvents();
  const now = () => o.clock().toISOString();
  const transitions = createBuildTransitions(o.store, events, o.generateToken);
  const version = () => o.store.version;
  return {
    store: o.store,
    events,
    profile: o.profile,
    webUrl: o.webUrl,
    now,
    generateToken: o.generateToken,
    transitions,
    actions: createBuildActions({ store: o.store, transitions, now, generateToken: o.generateToken }),
    traces: createTraces(o.store, events, now),
    createPipeline: createPipelineCreator({
      store: o.store,
      transitions,
      now,
      generateToken: o.generateToken,
    }),
    maxBodyBytes: o.maxBodyBytes,
    maxAnonymousBodyBytes: o.maxAnonymousBodyBytes ?? DEFAULT_MAX_ANONYMOUS_BODY_BYTES,
    log: o.log,
    authMemo: new VersionedMemo(version),
    projectMemo: new VersionedMemo(version),
    responseCache: new ResponseCache(version, () => o.clock().getTime()),
    ciTemplatesDir: o.ciTemplatesDir ?? null,
  };
}
