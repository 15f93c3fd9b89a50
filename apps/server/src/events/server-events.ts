// The server's in-process event bus: what changed, for layers (WebSocket runners and watchers) that plug
// in without touching the routes.

import { EventEmitter } from "node:events";
import type { Build, Pipeline } from "@buildsim/core";

/** A deleted pipeline (committed): its builds, and the runners that were running some of them. */
export interface DeletedPipeline {
  pipelineId: number;
  projectId: number;
  builds: Array<{ id: number; runnerId: number | null }>;
}

/** Every event the server emits, with its payload. */
export interface ServerEventMap {
  /** A build was created or changed (status, artifacts, erase…), after the change was committed. */
  buildChanged: [build: Build];
  /** Bytes were appended to a build's trace at `offset` (committed). */
  /** `toldCluster`: the other servers were told of these bytes in the commit that stored them. */
  traceAppended: [
    event: { buildId: number; offset: number; data: Buffer; length: number; toldCluster?: boolean },
  ];
  /** A running build was canceled: the runner holding it must stop now. */
  runnerMustCancel: [event: { buildId: number; runnerId: number | null }];
  /** A pipeline's status was recomputed and saved. */
  pipelineChanged: [pipeline: Pipeline];
  /** A build became pending: runners waiting for work may claim it. */
  buildQueued: [build: Build];
  /** A runner was deleted (committed): its connected sessions must close. */
  runnerDeleted: [runnerId: number];
  /** A pipeline was deleted with its builds (committed): runners stop them, watchers are closed. */
  pipelineDeleted: [deleted: DeletedPipeline];
}

/** A typed `EventEmitter` over `ServerEventMap`. */
export class ServerEvents extends EventEmitter<ServerEventMap> {}
