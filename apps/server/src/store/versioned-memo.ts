// A memo that forgets everything whenever the store's write version moves: read caches that can never
// serve data older than the last committed write.

/** Caches values computed from the store, valid until the next write. */
const NONE = Symbol("none");

export class VersionedMemo<V> {
  private version = -1;
  // `undefined` results are stored as NONE so one `get` answers both "cached" and "what".
  private readonly entries = new Map<string, V | typeof NONE>();

  /** @param maxEntries past this many, the memo starts over (bounded memory under odd queries). */
  constructor(
    private readonly currentVersion: () => number,
    private readonly maxEntries = 5000,
  ) {}

  /** The cached value for `key` at the current version, computing and storing it when missing. */
  get(key: string, compute: () => V): V {
    const now = this.currentVersion();
    if (now !== this.version) {
      this.entries.clear();
      this.version = now;
    }
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit === NONE ? (undefined as V) : hit;
    const value = compute();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    // compute() may have written (and so bumped the version); only cache what is still current.
    if (this.currentVersion() === now) this.entries.set(key, value === undefined ? NONE : value);
    return value;
  }
}
