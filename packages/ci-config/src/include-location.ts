// One `include:` entry read the way GitLab's mapper normalizes it: a string becomes `local` or `remote`,
// a hash must name exactly one file type, `project:` expands to one location per `file:`.

import { isHash } from "./deep-merge.js";

/** Where an included file comes from. */
export type IncludeLocation =
  | { type: "local"; path: string }
  | { type: "remote"; url: string }
  | { type: "template"; name: string }
  | { type: "project"; project: string; ref: string | null; file: string }
  | { type: "component"; address: string }
  | { type: "artifact"; artifact: string; job: string };

/** A normalized entry: its location, `inputs:` and `rules:` (still unevaluated). */
export interface IncludeEntry {
  location: IncludeLocation;
  inputs: Record<string, unknown> | null;
  rules: unknown[] | null;
  /** The entry as written, for messages (`include:project` … ). */
  raw: unknown;
}

// GitLab lists the subkeys in this order in its "valid subkey" message.
const FILE_SUBKEYS = ["local", "project", "remote", "template", "artifact", "component"] as const;
const OTHER_KEYS = ["file", "ref", "inputs", "rules", "job", "integrity"];

/** `Gitlab::UrlSanitizer.valid?`: an http(s) URL with a host. */
export function isRemoteUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** How GitLab prints a location in its messages: the entry as JSON. */
export function describeEntry(raw: unknown): string {
  return JSON.stringify(typeof raw === "string" ? { local: raw } : raw);
}

/**
 * Normalizes one `include:` item into entries (several for `project:` with a `file:` list), or GitLab's
 * error text. `expand` applies the pipeline's variables to every string value, as GitLab's mapper does.
 */
export function readIncludeEntry(
  item: unknown,
  expand: (text: string) => string,
): { entries: IncludeEntry[] } | { error: string } {
  if (typeof item === "string") {
    const text = expand(item);
    const location: IncludeLocation = isRemoteUrl(text)
      ? { type: "remote", url: text }
      : { type: "local", path: text };
    return { entries: [{ location, inputs: null, rules: null, raw: item }] };
  }
  if (!isHash(item)) {
    return { error: "include config should be a hash, a string or an array containing hashes and strings" };
  }
  const fileKeys = FILE_SUBKEYS.filter((k) => item[k] !== undefined);
  const unknown = Object.keys(item).filter(
    (k) => !(FILE_SUBKEYS as readonly string[]).includes(k) && !OTHER_KEYS.includes(k),
  );
  if (unknown.length > 0) return { error: `include config contains unknown keys: ${unknown.join(", ")}` };
  if (fileKeys.length > 1)
    return { error: `Each include must use only one of: \`${FILE_SUBKEYS.join("`, `")}\`` };
  if (fileKeys.length === 0) {
    return {
      error: `\`${describeEntry(item)}\` does not have a valid subkey for include. Valid subkeys are: \`${FILE_SUBKEYS.join("`, `")}\``,
    };
  }
  if (item.inputs !== undefined && !isHash(item.inputs)) return { error: "include inputs should be a hash" };
  if (item.rules !== undefined && !Array.isArray(item.rules))
    return { error: "include rules should be an array of hashes" };
  const inputs = (item.inputs as Record<string, unknown> | undefined) ?? null;
  const rules = (item.rules as unknown[] | undefined) ?? null;
  const entry = (location: IncludeLocation): IncludeEntry => ({ location, inputs, rules, raw: item });
  const str = (key: string): string | null =>
    typeof item[key] === "string" ? expand(item[key] as string) : null;
  switch (fileKeys[0]) {
    case "local": {
      const path = str("local");
      return path === null
        ? { error: "include:local config should be a string" }
        : { entries: [entry({ type: "local", path })] };
    }
    case "remote": {
      const url = str("remote");
      if (url === null || !isRemoteUrl(url)) return { error: "include:remote config should be a valid url" };
      return { entries: [entry({ type: "remote", url })] };
    }
    case "template": {
      const name = str("template");
      return name === null
        ? { error: "include:template config should be a string" }
        : { entries: [entry({ type: "template", name })] };
    }
    case "component": {
      const address = str("component");
      return address === null
        ? { error: "include:component config should be a string" }
        : { entries: [entry({ type: "component", address })] };
    }
    case "artifact": {
      const artifact = str("artifact");
      const job = str("job");
      if (artifact === null || job === null)
        return { error: "include config must specify the job where to fetch the artifact from" };
      return { entries: [entry({ type: "artifact", artifact, job })] };
    }
    default: {
      const project = str("project");
      const files = typeof item.file === "string" ? [item.file] : item.file;
      if (project === null) return { error: "include:project config should be a string" };
      if (!Array.isArray(files) || files.length === 0 || !files.every((f) => typeof f === "string"))
        return { error: "include config must specify the file where to fetch the config from" };
      const ref = item.ref === undefined ? null : String(item.ref);
      return {
        entries: (files as string[]).map((file) =>
          entry({ type: "project", project, ref: ref === null ? null : expand(ref), file: expand(file) }),
        ),
      };
    }
  }
}

/** A component address `host/group/project/name@version` split into its parts, or null when malformed. */
export function parseComponentAddress(
  address: string,
): { host: string; project: string; name: string; version: string } | null {
  const at = address.lastIndexOf("@");
  if (at <= 0 || at === address.length - 1) return null;
  const path = address.slice(0, at).split("/");
  if (path.length < 4 || path.some((p) => p === "")) return null;
  return {
    host: path[0]!,
    project: path.slice(1, -1).join("/"),
    name: path[path.length - 1]!,
    version: address.slice(at + 1),
  };
}
