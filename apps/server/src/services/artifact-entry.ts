// One file out of a job's artifacts zip (what Workhorse's `send_artifacts_entry` streams), read with
// fflate, and GitLab's check that the requested path is one a zip entry may have.

import { unzipSync } from "fflate";

/** The outcome of looking a path up in an archive: the bytes, or why there are none. */
export type ArtifactEntryResult =
  | { kind: "found"; bytes: Uint8Array }
  | { kind: "invalid-path" }
  | { kind: "missing" };

/**
 * `Gitlab::Ci::Build::Artifacts::Path#valid?`: no NUL bytes and no `..` traversal. A leading `./` or
 * `/` is not part of any entry name, so such paths simply are not found.
 */
export function isValidArtifactPath(path: string): boolean {
  if (path.length === 0 || path.includes("\0")) return false;
  return !path.split("/").some((segment) => segment === "..");
}

/** The bytes of the entry named `path` in `zip`; `missing` also when `zip` is not a readable archive. */
export function readArtifactEntry(zip: Uint8Array, path: string): ArtifactEntryResult {
  if (!isValidArtifactPath(path)) return { kind: "invalid-path" };
  let entries: Record<string, Uint8Array>;
  try {
    // The filter decompresses only the wanted entry, however large the archive.
    entries = unzipSync(zip, { filter: (file) => file.name === path });
  } catch {
    return { kind: "missing" };
  }
  const bytes = entries[path];
  return bytes === undefined ? { kind: "missing" } : { kind: "found", bytes };
}
