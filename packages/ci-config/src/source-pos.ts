// Where each value of a loaded CI config came from: file, line and column, kept beside the plain values.

/** A 1-based position in one source file. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** One problem found in a CI config, positioned where GitLab's message points. */
export interface CiProblem extends SourcePos {
  message: string;
}

interface NodeLocs {
  self: SourcePos;
  keys: Map<string, SourcePos>;
  items: SourcePos[];
}

// A WeakMap keeps positions off the values themselves, so configs stay plain JSON-like data.
const LOCS = new WeakMap<object, NodeLocs>();

/** Records where a map or sequence starts and where its keys or items are. */
export function setLocs(
  value: object,
  self: SourcePos,
  keys: Map<string, SourcePos> = new Map(),
  items: SourcePos[] = [],
): void {
  LOCS.set(value, { self, keys, items });
}

/** Position of a map or sequence, or `fallback` for values without one (scalars, computed values). */
export function posOf(value: unknown, fallback: SourcePos): SourcePos {
  if (value !== null && typeof value === "object") return LOCS.get(value)?.self ?? fallback;
  return fallback;
}

/** Position of `key` inside `map`, falling back to the map itself, then to `fallback`. */
export function keyPos(map: unknown, key: string, fallback: SourcePos): SourcePos {
  if (map === null || typeof map !== "object") return fallback;
  const locs = LOCS.get(map);
  return locs?.keys.get(key) ?? locs?.self ?? fallback;
}

/** Position of item `index` of `list`, falling back to the list, then to `fallback`. */
export function itemPos(list: unknown, index: number, fallback: SourcePos): SourcePos {
  if (list === null || typeof list !== "object") return fallback;
  const locs = LOCS.get(list);
  return locs?.items[index] ?? locs?.self ?? fallback;
}

/** Copies the key positions of `from` onto `to` (for merged maps), later calls winning. */
export function copyKeyLocs(from: object, to: object): void {
  const source = LOCS.get(from);
  if (!source) return;
  const target = LOCS.get(to);
  if (!target) {
    LOCS.set(to, { self: source.self, keys: new Map(source.keys), items: [...source.items] });
    return;
  }
  target.self = source.self;
  for (const [key, pos] of source.keys) target.keys.set(key, pos);
}

/** Collects problems (and warnings); the loaders push into one and never stop at the first. */
export class ProblemList {
  readonly items: CiProblem[] = [];
  /** Valid GitLab config that does nothing or is not run locally. */
  readonly warnings: CiProblem[] = [];

  add(pos: SourcePos, message: string): void {
    this.items.push({ file: pos.file, line: pos.line, col: pos.col, message });
  }

  warn(pos: SourcePos, message: string): void {
    this.warnings.push({ file: pos.file, line: pos.line, col: pos.col, message });
  }
}

/** Gives `to` the positions of `from`, with keys renamed by `rename` (old key → new key). */
export function copyLocsRenamed(from: object, to: object, rename: ReadonlyMap<string, string>): void {
  const source = LOCS.get(from);
  if (!source) return;
  const keys = new Map<string, SourcePos>();
  for (const [key, pos] of source.keys) keys.set(rename.get(key) ?? key, pos);
  LOCS.set(to, { self: source.self, keys, items: [...source.items] });
}
