// The read caches of the build and job endpoints: rendered v3 and v4 entities, list pages and the newest
// ids of project lists, scoped by what each write changed (store.changes), bounded in bytes (the
// windows in number and length).

import type { ChangeLog } from "../store/change-log.js";
import { EntityCache } from "./entity-cache.js";
import { type ListSource, ListWindows } from "./list-windows.js";
import { PageCache } from "./page-cache.js";

/** Bytes the read caches hold at most, together. @default 32 MiB */
export const DEFAULT_READ_CACHE_BYTES = 32 * 1024 * 1024;

/** Entities per API version and the pages listing them. */
export interface ReadCache {
  v3: EntityCache;
  v4: EntityCache;
  v3Pages: PageCache;
  v4Pages: PageCache;
  /** Which builds each project list holds, for both versions' pages. */
  windows: ListWindows;
}

/**
 * Read caches sharing `maxBytes`: half for entities, half for pages, each half split by API version.
 * List windows are filled from `lists`.
 */
export function createReadCache(
  changes: ChangeLog,
  lists: ListSource,
  maxBytes = DEFAULT_READ_CACHE_BYTES,
): ReadCache {
  const quarter = Math.floor(maxBytes / 4);
  return {
    v3: new EntityCache(changes, quarter, false),
    v4: new EntityCache(changes, quarter, true),
    v3Pages: new PageCache(changes, quarter),
    v4Pages: new PageCache(changes, quarter),
    windows: new ListWindows(changes, lists),
  };
}
