// Query strings as GitLab's Rack/Grape parser reads them: arrays as `key[]=` (v4) or `key[0]=` (v3).

/** A query value; `undefined`/`null` values are left out. */
export type QueryValue = string | number | boolean | readonly (string | number)[] | null | undefined;

export type QueryParams = Readonly<Record<string, QueryValue>>;

/**
 * How arrays are written. `brackets` (`scope[]=a&scope[]=b`) is what v4 and python-gitlab use;
 * `indices` (`scope[0]=a&scope[1]=b`) is the only array form GitLab 8.17's v3 accepts as well as
 * buildsim's default profile.
 */
export type ArrayFormat = "brackets" | "indices";

/** Encodes params in insertion order; returns "" or a string starting with "?". */
export function buildQueryString(
  params: QueryParams | undefined,
  arrayFormat: ArrayFormat = "brackets",
): string {
  if (!params) return "";
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        const name = arrayFormat === "brackets" ? `${key}[]` : `${key}[${index}]`;
        parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(item))}`);
      });
    } else {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
    }
  }
  return parts.length === 0 ? "" : `?${parts.join("&")}`;
}

/** A project id as GitLab takes it in a path: numeric, or `namespace/path` URL-encoded into one segment. */
export function encodeProjectId(project: number | string): string {
  return encodeURIComponent(String(project));
}

/** A file path inside an artifacts archive: each segment encoded, the slashes kept. */
export function encodeArtifactPath(path: string): string {
  return path
    .replace(/^\/+/, "")
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}
