// List pages kept as which builds they show (ids, counts, headers), valid while no write changes which
// builds the list holds: a page of project P and statuses S depends on the generations of (P, s) for s
// in S (or of all of P's builds), a pipeline's job list on its members. The bytes are assembled from
// the entity cache, so a write re-renders only the entities it changed, and a page whose entities
// all stand still is kept whole. Bounded in bytes (oldest pages go first).

import type { ChangeLog } from "../store/change-log.js";
import type { CachedEntity } from "./entity-cache.js";
import { pushEntityBytes, sizeOf } from "./entity-cache.js";
import type { Reply } from "./reply.js";

/** Which builds a page's membership depends on. */
export type PageScope =
  | { kind: "project"; projectId: number; statuses: readonly string[] | null }
  | { kind: "pipeline"; pipelineId: number };

/** What a page render produces before any entity bytes. */
export interface PageListing {
  ids: number[];
  headers: string[];
}

interface Page {
  scope: PageScope;
  global: number;
  gens: number[];
  ids: number[];
  headers: string[];
  entities: CachedEntity[];
  /** The whole reply, while none of its entities has time-dependent numbers. */
  reply: Reply | null;
  /** The change log's version when every entity was last found current, and until when they all stay so. */
  checkedAt: number;
  checkedUntilMs: number;
  bytes: number;
}

const OPEN = Buffer.from("[");
const COMMA = Buffer.from(",");
const CLOSE = Buffer.from("]");

/** Pages by (Host, request) of one entity kind. */
export class PageCache {
  private readonly pages = new Map<string, Page>();
  private bytes = 0;

  /** @param maxBytes past this many bytes (page bodies and the entities they hold) the oldest pages go. */
  constructor(
    private readonly changes: ChangeLog,
    readonly maxBytes: number,
  ) {}

  /**
   * The reply for `key`: the cached page when its membership is unchanged, else `list()` again; entities
   * from `entity(id)` (current ones from the entity cache, else rendered), bytes assembled at `nowIso`
   * (`nowMs`).
   */
  get(
    key: string,
    scope: PageScope,
    nowIso: string,
    nowMs: number,
    list: () => PageListing,
    entity: (id: number) => CachedEntity,
    isCurrent: (e: CachedEntity) => boolean,
  ): Reply {
    let page = this.pages.get(key);
    // A whole reply checked since the log's last change, none of its entities expired: nothing to look
    // at again (the page a dashboard polls costs one comparison, not a check per entity).
    if (page?.reply && page.checkedAt === this.changes.version && nowMs < page.checkedUntilMs)
      return page.reply;
    if (!page || !this.membershipHolds(page)) {
      const global = this.changes.global;
      const gens = this.gensOf(scope);
      const listing = list();
      page = {
        scope,
        global,
        gens,
        ids: listing.ids,
        headers: listing.headers,
        entities: listing.ids.map(entity),
        reply: null,
        checkedAt: 0,
        checkedUntilMs: 0,
        bytes: 0,
      };
      this.remember(key, page);
    } else {
      for (let i = 0; i < page.entities.length; i++) {
        if (isCurrent(page.entities[i]!)) continue;
        page.entities[i] = entity(page.ids[i]!);
        page.reply = null;
      }
      if (page.reply) return this.checked(page);
    }
    const parts: Buffer[] = [OPEN];
    let timed = false;
    for (let i = 0; i < page.entities.length; i++) {
      const e = page.entities[i]!;
      if (i > 0) parts.push(COMMA);
      pushEntityBytes(parts, e, nowIso);
      if (e.tail) timed = true;
    }
    parts.push(CLOSE);
    const reply: Reply = { status: 200, headers: page.headers, body: Buffer.concat(parts) };
    if (timed) return reply;
    page.reply = reply;
    return this.checked(page);
  }

  /** `page`'s reply, its entities all current now: remembered as checked at the log's version. */
  private checked(page: Page): Reply {
    page.checkedAt = this.changes.version;
    let until = Number.POSITIVE_INFINITY;
    for (const e of page.entities) if (e.validUntilMs < until) until = e.validUntilMs;
    page.checkedUntilMs = until;
    return page.reply!;
  }

  private membershipHolds(page: Page): boolean {
    if (page.global !== this.changes.global) return false;
    const now = this.gensOf(page.scope);
    for (let i = 0; i < now.length; i++) if (now[i] !== page.gens[i]) return false;
    return true;
  }

  private gensOf(scope: PageScope): number[] {
    if (scope.kind === "pipeline") return [this.changes.pipelineMembers(scope.pipelineId)];
    if (!scope.statuses) return [this.changes.list(scope.projectId, "*")];
    return scope.statuses.map((s) => this.changes.list(scope.projectId, s));
  }

  private remember(key: string, page: Page): void {
    const old = this.pages.get(key);
    if (old) {
      this.pages.delete(key);
      this.bytes -= old.bytes;
    }
    // A page keeps its entities alive even once the entity cache dropped them: count them here too.
    page.bytes = page.entities.reduce((n, e) => n + sizeOf(e), 256 + key.length);
    this.pages.set(key, page);
    this.bytes += page.bytes;
    for (const [k, first] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.pages.delete(k);
      this.bytes -= first.bytes;
    }
  }
}
