// Query strings parsed the way Rack/Rails do: `a=1`, `a[]=1&a[]=2` (array), `a[0]=x` and `a[k]=x`
// (hash), nested brackets; plus the raw pairs, so a repeated plain key can be read as a list.

/** A Rack-style parameter value. */
export type ParamValue = string | ParamValue[] | { [key: string]: ParamValue };
export type Params = { [key: string]: ParamValue };

/** The parsed query: Rack's nested params (last plain key wins) and the pairs in order. */
export interface ParsedQuery {
  params: Params;
  pairs: Array<[string, string]>;
}

/** Thrown for a query string Rack could not decode (bad percent-encoding, conflicting shapes). */
export class QueryParseError extends Error {}

function decode(s: string): string {
  const plus = s.includes("+") ? s.replace(/\+/g, " ") : s;
  if (!plus.includes("%")) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    throw new QueryParseError(`invalid %-encoding in ${JSON.stringify(s)}`);
  }
}

/** Splits `a[b][]` into `["a", "b", ""]`; a key without brackets is one part. */
function keyParts(key: string): string[] {
  const open = key.indexOf("[");
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  let rest = key.slice(open);
  while (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0) break;
    parts.push(rest.slice(1, close));
    rest = rest.slice(close + 1);
  }
  // Rack keeps anything after the last bracket as part of the name; so do we, as a literal.
  if (rest.length > 0) parts[parts.length - 1] += rest;
  return parts;
}

const MAX_DEPTH = 32;

/**
 * `target[key] = value` as an own property even for `__proto__`: Rack keeps such a key as a plain
 * name (so `scope[__proto__]=x` is a hash Grape refuses with 400), and a plain assignment would instead
 * replace the object's prototype.
 */
export function setOwn(target: Params, key: string, value: ParamValue): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function assign(target: Params, parts: string[], value: string): void {
  if (parts.length > MAX_DEPTH) throw new QueryParseError("query nested too deeply");
  let node: Params = target;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    const next = parts[i + 1];
    if (last) {
      if (Array.isArray(node)) node.push(value);
      else setOwn(node, part, value);
      return;
    }
    if (next === "") {
      // `a[]=`: an array, appended to.
      const existing = Object.hasOwn(node, part) ? node[part] : undefined;
      if (existing === undefined) setOwn(node, part, []);
      else if (!Array.isArray(existing)) throw new QueryParseError(`expected an array for ${part}`);
      if (i + 1 === parts.length - 1) {
        (node[part] as ParamValue[]).push(value);
        return;
      }
      // `a[][b]=`: Rack builds arrays of hashes; we keep one hash per element.
      const arr = node[part] as ParamValue[];
      const child: Params = {};
      arr.push(child);
      node = child;
      i++;
      continue;
    }
    const existing = Object.hasOwn(node, part) ? node[part] : undefined;
    if (existing === undefined) setOwn(node, part, {});
    else if (typeof existing !== "object" || Array.isArray(existing))
      throw new QueryParseError(`expected a hash for ${part}`);
    node = node[part] as Params;
  }
}

/** The decoded `key=value` pairs of a query, in order. */
function pairsOf(query: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (query.length === 0) return pairs;
  for (const piece of query.split("&")) {
    if (piece.length === 0) continue;
    const eq = piece.indexOf("=");
    const key = decode(eq < 0 ? piece : piece.slice(0, eq));
    const value = eq < 0 ? "" : decode(piece.slice(eq + 1));
    if (key.length === 0) continue;
    pairs.push([key, value]);
  }
  return pairs;
}

/** Params up front; the ordered pairs only when someone asks (rarely: a repeated `scope=`). */
class LazyParsedQuery implements ParsedQuery {
  private cachedPairs: Array<[string, string]> | undefined;
  constructor(
    readonly params: Params,
    private readonly raw: string,
  ) {}
  get pairs(): Array<[string, string]> {
    this.cachedPairs ??= pairsOf(this.raw);
    return this.cachedPairs;
  }
}

/** Parses a query string (without the `?`). Throws `QueryParseError` for input Rack would reject. */
export function parseQuery(query: string): ParsedQuery {
  // Plain objects are ~10x faster than null-prototype ones here; `__proto__` keys are made own
  // properties instead (setOwn). This loop mirrors pairsOf without building the pair list.
  const params: Params = {};
  let start = 0;
  while (start < query.length) {
    let end = query.indexOf("&", start);
    if (end < 0) end = query.length;
    if (end > start) {
      const eq = query.indexOf("=", start);
      const keyEnd = eq < 0 || eq > end ? end : eq;
      const key = decode(query.slice(start, keyEnd));
      const value = keyEnd === end ? "" : decode(query.slice(keyEnd + 1, end));
      if (key.length > 0) {
        // Plain keys (the common case) skip the bracket machinery.
        if (key.indexOf("[") <= 0) setOwn(params, key, value);
        else assign(params, keyParts(key), value);
      }
    }
    start = end + 1;
  }
  return new LazyParsedQuery(params, query);
}

function cgiEscape(s: string): string {
  // Ruby's CGI.escape: space becomes +, everything but [a-zA-Z0-9_.-~] is %-encoded.
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/** Rails `Hash#to_query`: `key=value` pairs, nested with brackets, sorted, joined by `&`. */
export function toQuery(value: ParamValue, namespace?: string): string {
  if (typeof value === "string") return `${cgiEscape(namespace ?? "")}=${cgiEscape(value)}`;
  if (Array.isArray(value)) {
    const prefix = `${namespace ?? ""}[]`;
    return value.map((v) => toQuery(v, prefix)).join("&");
  }
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "object" && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0)) continue;
    parts.push(toQuery(v, namespace ? `${namespace}[${k}]` : k));
  }
  if (!namespace?.includes("[]")) parts.sort();
  return parts.join("&");
}
