// Build (v3) and job (v4) entities through the read cache: the cached bytes while current, else the
// entity rendered by the same presenters the uncached path uses, kept for the next read.

import type { Build } from "@buildsim/core";
import type { App } from "../app.js";
import {
  type CachedEntity,
  type EntityCache,
  hasTimedNumbers,
  pushEntityBytes,
} from "../http/entity-cache.js";
import type { PageCache, PageScope } from "../http/page-cache.js";
import type { ReadCache } from "../http/read-cache.js";
import { JSON_TYPE, type Reply } from "../http/reply.js";
import { cacheableUntilMs } from "../presenters/cacheable-until.js";
import { presentBuildV3 } from "../presenters/present-build-v3.js";
import type { EntityLookupV4 } from "../presenters/present-entities-v4.js";
import { presentJobV4 } from "../presenters/present-job-v4.js";
import { sharedEntityLookupV4 } from "./store-lookup.js";

/** GitLab counts a runner online for two hours after its last contact (present-entities-v4). */
const ONLINE_WINDOW_MS = 2 * 60 * 60 * 1000;

/** What rendering v3 and v4 entities needs of the wiring. */
export type EntityRendererDeps = Pick<App, "store" | "now" | "profile" | "webUrl">;

// `app.now()` hands out one string per millisecond: parsed once per string, not once per request.
let parsedIso = "";
let parsedMs = Number.NaN;
const msOf = (iso: string): number => {
  if (iso !== parsedIso) {
    parsedMs = Date.parse(iso);
    parsedIso = iso;
  }
  return parsedMs;
};

/** One request's rendering context: now, and lookups made once per request. */
export class EntityRenderer {
  readonly nowIso: string;
  readonly nowMs: number;
  private shared: EntityLookupV4 | undefined;

  constructor(
    private readonly app: EntityRendererDeps,
    readonly cache: ReadCache,
  ) {
    this.nowIso = app.now();
    this.nowMs = msOf(this.nowIso);
  }

  /** Records the entities embed, kept across requests while unchanged; only a render asks. */
  private get lookup(): EntityLookupV4 {
    this.shared ??= sharedEntityLookupV4(this.app.store);
    return this.shared;
  }

  /** The v3 Build entity of build `id` (or of `build` when the caller already read it). */
  v3(id: number, build?: Build): CachedEntity {
    const hit = this.cache.v3.get(id, this.nowMs);
    if (hit) return hit;
    const b = build ?? this.read(id);
    const gens = this.cache.v3.gensOf(b);
    const json = JSON.stringify(
      presentBuildV3(b, {
        profile: this.app.profile,
        shape: "build",
        now: this.nowIso,
        webUrl: this.app.webUrl(),
        lookup: this.lookup,
      }),
    );
    const until = cacheableUntilMs([b], this.nowIso, { showsDurations: false }) ?? Number.POSITIVE_INFINITY;
    // v3's runner has no online state: its last contact never shows.
    return this.cache.v3.put(b, { ...gens, contactGen: null }, json, until);
  }

  /** The v4 Job entity of build `id`, its durations left for read time when they move. */
  v4(id: number, build?: Build): CachedEntity {
    const hit = this.cache.v4.get(id, this.nowMs);
    if (hit) return hit;
    const b = build ?? this.read(id);
    const gens = this.cache.v4.gensOf(b);
    const job = presentJobV4(b, { now: this.nowIso, webUrl: this.app.webUrl(), lookup: this.lookup });
    // Numbers that grow with time are written at read time (the cache splits the bytes around them).
    if (hasTimedNumbers(b)) {
      job.duration = null;
      job.queued_duration = null;
    }
    let until = cacheableUntilMs([b], this.nowIso, { showsDurations: false }) ?? Number.POSITIVE_INFINITY;
    // The runner's `online`/`status` flip two hours after its last contact. Shown online, a later
    // contact changes nothing (the flip comes later, if at all); shown offline, one turns it online.
    const contacted = b.runnerId === null ? null : this.lookup.runner(b.runnerId)?.contactedAt;
    let contactGen = gens.contactGen;
    if (contacted) {
      const offlineAt = Date.parse(contacted) + ONLINE_WINDOW_MS;
      if (offlineAt > this.nowMs) {
        until = Math.min(until, offlineAt);
        contactGen = null;
      }
    }
    return this.cache.v4.put(b, { ...gens, contactGen }, JSON.stringify(job), until);
  }

  /** A page of `cache` for `key`. */
  page(
    pages: PageCache,
    entities: EntityCache,
    key: string,
    scope: PageScope,
    list: () => { ids: number[]; headers: string[] },
    render: (id: number) => CachedEntity,
  ): Reply {
    return pages.get(key, scope, this.nowIso, this.nowMs, list, render, (e) =>
      entities.isCurrent(e, this.nowMs),
    );
  }

  /**
   * `GET` of one entity (checks already passed): the cached bytes when current and of `projectId`, else
   * the build `load` finds (it throws the 404) rendered and kept.
   */
  single(kind: "v3" | "v4", projectId: number, id: number, load: () => Build): Reply {
    const hit = this.cache[kind].get(id, this.nowMs);
    if (hit && hit.projectId === projectId) return this.reply(200, hit);
    const build = load();
    return this.reply(200, kind === "v3" ? this.v3(build.id, build) : this.v4(build.id, build));
  }

  /** A single-entity reply from `e`. */
  reply(status: number, e: CachedEntity): Reply {
    if (!e.tail) return { status, headers: ["Content-Type", JSON_TYPE], body: e.head };
    const parts: Buffer[] = [];
    pushEntityBytes(parts, e, this.nowIso);
    return { status, headers: ["Content-Type", JSON_TYPE], body: Buffer.concat(parts) };
  }

  private read(id: number): Build {
    const b = this.app.store.builds.get(id);
    if (!b) throw new Error(`build ${id} is listed but missing`);
    return b;
  }
}
