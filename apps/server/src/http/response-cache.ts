// Rendered responses kept until the next committed write: per Host (Link URLs carry it), then per
// request target. Nested maps keep lookups free of per-request key concatenation.

import type { Reply } from "./reply.js";

/** A cache of replies that empties itself whenever `currentVersion()` moves. */
export class ResponseCache {
  private version = -1;
  private size = 0;
  private bytes = 0;
  private readonly byHost = new Map<string, Map<string, Reply>>();

  /**
   * @param maxEntries past this many replies the cache starts over (bounded memory under odd queries);
   *   0 turns the cache off
   * @param maxBytes … or past this many body bytes. @default 32 MiB
   */
  constructor(
    private readonly currentVersion: () => number,
    private readonly nowMs: () => number = Date.now,
    private readonly maxEntries = 2000,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  /** The cached reply for (`host`, `key`) at the current version, rendering and storing it when missing. */
  get(host: string, key: string, render: () => Reply): Reply {
    if (this.maxEntries === 0) return render();
    const now = this.currentVersion();
    if (now !== this.version) this.reset(now);
    let entries = this.byHost.get(host);
    const hit = entries?.get(key);
    // A reply that shows something with an expiry (artifacts) is only good until that moment.
    if (hit && (hit.validUntilMs === undefined || this.nowMs() < hit.validUntilMs)) return hit;
    const reply = render();
    // Only cache what is still current (rendering never writes, but be sure) and successful.
    if (reply.status !== 200 || this.currentVersion() !== now) return reply;
    if (this.size >= this.maxEntries || this.bytes + reply.body.byteLength > this.maxBytes) {
      this.reset(now);
      entries = undefined;
    }
    if (!entries) {
      entries = new Map();
      this.byHost.set(host, entries);
    }
    if (!entries.has(key)) this.size++;
    this.bytes += reply.body.byteLength - (entries.get(key)?.body.byteLength ?? 0);
    entries.set(key, reply);
    return reply;
  }

  private reset(version: number): void {
    this.byHost.clear();
    this.size = 0;
    this.bytes = 0;
    this.version = version;
  }
}
