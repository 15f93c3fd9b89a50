// Replies carrying v4 Job entities: one job, or a page of them with the pagination headers.

import type { Build } from "@buildsim/core";
import type { App } from "../../app.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import { cacheableUntilMs } from "../../presenters/cacheable-until.js";
import { presentBridgeV4 } from "../../presenters/present-bridge-v4.js";
import type { PresentV4Options } from "../../presenters/present-entities-v4.js";
import { presentJobV4 } from "../../presenters/present-job-v4.js";
import { EntityRenderer, type EntityRendererDeps } from "../cached-entities.js";
import { createEntityLookupV4 } from "../store-lookup.js";

/** What rendering v4 entities needs of the wiring. */
export type PresentV4Deps = Pick<App, "store" | "now" | "webUrl">;

/**
 * The Job entity of the build `act` returns, read at the end of the transaction it commits. It is
 * rendered into the read cache, where the list reads after a retry find it, only when that commit was the
 * last one: what ran once it had committed (a job script starting the job) may have changed the job
 * since, and the cache must not keep the older bytes under the newer generations.
 */
export function storedJobReply(
  app: EntityRendererDeps & Pick<App, "readCache">,
  status: number,
  act: () => Build,
): Reply {
  const before = app.store.version;
  const build = act();
  if (!app.readCache || app.store.version !== before + 1) return jobReply(app, status, build);
  const renderer = new EntityRenderer(app, app.readCache);
  return renderer.reply(status, renderer.v4(build.id, build));
}

/** Presentation context for one v4 render pass. */
export function presentOptionsV4(app: PresentV4Deps): PresentV4Options {
  return { now: app.now(), webUrl: app.webUrl(), lookup: createEntityLookupV4(app.store) };
}

/** The Job entity of `build` as a JSON reply. */
export function jobReply(app: PresentV4Deps, status: number, build: Build): Reply {
  return jsonReply(status, presentJobV4(build, presentOptionsV4(app)));
}

/** The Bridge entity of trigger job `bridge` (with its downstream pipeline, once created) as a JSON reply. */
export function bridgeReply(app: PresentV4Deps, status: number, bridge: Build): Reply {
  const downstream = app.store.pipelines.downstreamOf(bridge.id);
  return jsonReply(status, presentBridgeV4(bridge, downstream, presentOptionsV4(app)));
}

/** Job entities of `builds` as a JSON array reply with `headers`. */
export function jobsReply(app: PresentV4Deps, builds: readonly Build[], headers: string[]): Reply {
  const o = presentOptionsV4(app);
  const reply = jsonReply(
    200,
    builds.map((b) => presentJobV4(b, o)),
    headers,
  );
  const until = cacheableUntilMs(builds, o.now, { showsDurations: true });
  if (until !== undefined) reply.validUntilMs = until;
  return reply;
}
