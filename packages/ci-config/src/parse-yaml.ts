// Turns one YAML file into plain values with source positions: anchors, aliases, `<<` merge keys and
// `!reference` tags resolved or marked the way GitLab's YAML loader sees them.

import {
  type CollectionTag,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  type ScalarTag,
  type Tags,
} from "yaml";
import { relaxQuotedIndent } from "./relax-quoted-indent.js";
import { rubyNumberText } from "./ruby-scalar.js";
import { ProblemList, type SourcePos, setLocs } from "./source-pos.js";

/** A `!reference [job, key, …]` tag, resolved after includes and `extends` are merged. */
export class ReferenceTag {
  constructor(
    readonly path: string[],
    readonly pos: SourcePos,
  ) {}

  /** How GitLab prints a reference in its messages: `!reference ["job", "script"]`. */
  toString(): string {
    return `!reference [${this.path.map((p) => JSON.stringify(p)).join(", ")}]`;
  }
}

export interface ParsedYaml {
  /** The document as plain values; `undefined` for an empty document. */
  value: unknown;
  /** The `spec:` header document (`{spec: {inputs: …}}`) when the file starts with one, else null. */
  header: Record<string, unknown> | null;
  problems: ProblemList;
}

const BOOL_TAG = "tag:yaml.org,2002:bool";

// Psych's booleans are YAML 1.1's without `y`/`n`, which it keeps as strings.
const psychBool = (value: boolean, test: RegExp): ScalarTag => ({
  identify: (v: unknown) => v === value,
  default: true,
  tag: BOOL_TAG,
  test,
  resolve: () => value,
});

const psychTags = (tags: Tags): Tags => [
  ...tags.filter((t) => typeof t === "string" || t.tag !== BOOL_TAG),
  psychBool(true, /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/),
  psychBool(false, /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/),
  { tag: "!reference", collection: "seq", resolve: (seq: unknown) => seq } as CollectionTag,
];

// Aliases may point at collections that contain aliases; a bound stops "billion laughs" documents.
const MAX_ALIAS_DEPTH = 50;

function parseDocuments(source: string, lineCounter: LineCounter) {
  const docs = parseAllDocuments(source, {
    lineCounter,
    // GitLab loads YAML with Ruby's Psych, a YAML 1.1 parser: `010` is octal, `1:30` is 90, `on` is true.
    version: "1.1",
    merge: false,
    uniqueKeys: false,
    prettyErrors: false,
    customTags: psychTags,
  });
  return Array.isArray(docs) ? docs : [];
}

/**
 * Parses `source` (the contents of `file`), reporting YAML syntax errors with their positions. A first
 * document holding only a `spec:` header is skipped, as GitLab does for files with inputs.
 */
export function parseYaml(file: string, source: string): ParsedYaml {
  const problems = new ProblemList();
  let lineCounter = new LineCounter();
  let docs = parseDocuments(source, lineCounter);
  if (docs.some((doc) => doc.errors.length > 0)) {
    // Psych (libyaml) accepts a quoted scalar whose continuation lines are not indented enough; retry
    // with those lines indented, keeping the retry only when it parses cleanly.
    const relaxed = relaxQuotedIndent(source);
    if (relaxed !== null) {
      const counter = new LineCounter();
      const retry = parseDocuments(relaxed, counter);
      if (retry.every((doc) => doc.errors.length === 0)) {
        docs = retry;
        lineCounter = counter;
      }
    }
  }
  const list = docs;
  for (const error of list.flatMap((doc) => doc.errors)) {
    const at = lineCounter.linePos(error.pos[0]);
    const firstLine = error.message.split("\n")[0] ?? error.message;
    problems.add({ file, line: at.line, col: at.col }, firstLine.replace(/ at line \d+, column \d+:?$/, ""));
  }
  if (problems.items.length > 0 || list.length === 0) return { value: undefined, header: null, problems };
  const converter = new Converter(file, lineCounter, problems);
  const pos = (doc: (typeof list)[number]): SourcePos => {
    const at = lineCounter.linePos(doc.range[0]);
    return { file, line: at.line, col: at.col };
  };
  const first = list[0]!;
  const header =
    isMap(first.contents) && first.contents.items.length === 1 && isScalar(first.contents.items[0]?.key)
      ? first.contents.items[0]?.key.value === "spec"
      : false;
  const content = header ? list[1] : first;
  const ignored = list.slice(header ? 2 : 1);
  if (ignored[0])
    problems.warn(
      pos(ignored[0]),
      "only the first YAML document is read; later ones are ignored, as in GitLab",
    );
  const value = content?.contents == null ? undefined : converter.convert(content.contents, 0);
  const spec = header ? (converter.convert(first.contents, 0) as Record<string, unknown>) : null;
  return { value, header: spec, problems };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A numeric scalar's value as GitLab would store it, or undefined for anything else. */
function numberText(node: unknown): string | undefined {
  if (!isScalar(node) || typeof node.value !== "number" || node.type !== "PLAIN") return undefined;
  return rubyNumberText(node.value, node.source ?? "");
}

/**
 * In a `variables:` map, numbers written as GitLab stores them (`1.0` stays "1.0"): for `KEY: 1.0` and
 * `KEY: {value: 1.0}`. The rest of the file keeps JS numbers (`retry: 2`, `parallel: 3`).
 */
function numbersAsRubyText(
  node: Node & { items: { key: unknown; value: unknown }[] },
  out: Record<string, unknown>,
) {
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const name = String(pair.key.source ?? pair.key.value);
    const text = numberText(pair.value);
    if (text !== undefined && typeof out[name] === "number") out[name] = text;
    const entry = out[name];
    if (isMap(pair.value) && isObject(entry) && typeof entry.value === "number") {
      const valuePair = pair.value.items.find((p) => isScalar(p.key) && p.key.value === "value");
      const valueText = numberText(valuePair?.value);
      if (valueText !== undefined) entry.value = valueText;
    }
  }
}

class Converter {
  private readonly anchors = new Map<string, Node>();

  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
    private readonly problems: ProblemList,
  ) {}

  pos(node: Node | null | undefined): SourcePos {
    const offset = node?.range?.[0] ?? 0;
    const at = this.lines.linePos(offset);
    return { file: this.file, line: at.line, col: at.col };
  }

  convert(node: unknown, depth: number): unknown {
    if (depth > MAX_ALIAS_DEPTH) {
      this.problems.add(this.pos(node as Node), "YAML aliases are nested too deeply");
      return null;
    }
    if (isAlias(node)) {
      // Anchors are collected while converting in document order: `Alias#resolve` walks the whole
      // document per alias, which is quadratic on files that reuse anchors in every job.
      const target = this.anchors.get(node.source);
      if (!target) {
        this.problems.add(this.pos(node), `Unknown anchor: ${node.source}`);
        return null;
      }
      return this.convert(target, depth + 1);
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) this.anchors.set(anchor, node as Node);
    if (isScalar(node)) return node.value ?? null;
    if (isSeq(node)) {
      if (node.tag === "!reference") return this.reference(node);
      const list: unknown[] = [];
      const items: SourcePos[] = [];
      for (const item of node.items) {
        list.push(this.convert(item, depth));
        items.push(this.pos(item as Node));
      }
      setLocs(list, this.pos(node), new Map(), items);
      return list;
    }
    if (isMap(node)) return this.map(node, depth);
    return null;
  }

  reference(node: Node & { items: unknown[] }): ReferenceTag | null {
    const path = node.items.map((item) => (isScalar(item) ? String(item.value) : null));
    if (path.length === 0 || path.some((p) => p === null)) {
      this.problems.add(this.pos(node), "!reference tag should be an array of strings");
      return null;
    }
    return new ReferenceTag(path as string[], this.pos(node));
  }

  map(node: Node & { items: { key: unknown; value: unknown }[] }, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = new Map<string, SourcePos>();
    const merged: Record<string, unknown>[] = [];
    const mergedKeys: Map<string, SourcePos>[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      // The YAML 1.1 schema resolves a plain `<<` to a merge symbol; a quoted "<<" stays a normal key.
      const isMerge = isScalar(keyNode) && keyNode.type === "PLAIN" && keyNode.source === "<<";
      const key = isScalar(keyNode)
        ? String(keyNode.source ?? keyNode.value)
        : String(this.convert(keyNode, depth));
      if (isMerge) {
        // Merge keys: explicit keys win, and among several sources the first one listed wins.
        const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const source of sources) {
          const value = this.convert(source, depth + 1);
          if (value === null || typeof value !== "object" || Array.isArray(value)) {
            this.problems.add(
              this.pos(source as Node),
              "merge key `<<` needs a mapping or a list of mappings",
            );
            continue;
          }
          merged.push(value as Record<string, unknown>);
          mergedKeys.push(new Map(Object.keys(value).map((k) => [k, this.pos(source as Node)])));
        }
        continue;
      }
      out[key] = this.convert(pair.value, depth);
      if (key === "variables" && isMap(pair.value) && isObject(out[key]))
        numbersAsRubyText(pair.value, out[key] as Record<string, unknown>);
      keys.set(key, this.pos(keyNode));
    }
    for (let i = merged.length - 1; i >= 0; i--) {
      for (const [k, v] of Object.entries(merged[i]!)) {
        if (keys.has(k)) continue;
        out[k] = v;
      }
    }
    for (const sourceKeys of mergedKeys) {
      for (const [k, p] of sourceKeys) if (!keys.has(k)) keys.set(k, p);
    }
    setLocs(out, this.pos(node), keys);
    return out;
  }
}
