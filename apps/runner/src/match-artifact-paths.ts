// Which files of a project directory `artifacts:paths` (globs, with `exclude`) select.

import { readdir } from "node:fs/promises";
import path from "node:path";

/** The files one `paths` pattern selected, for the trace's `found N matching …` line. */
export interface PatternMatch {
  pattern: string;
  fileCount: number;
}

export interface ArtifactSelection {
  /** Selected files, relative to the project directory with `/` separators, sorted. */
  files: string[];
  patterns: PatternMatch[];
}

/**
 * A doublestar glob as a RegExp over `/`-separated relative paths: `**` spans directories, `*` and `?`
 * stay within one, `{a,b}` is an alternative. A leading `./` and a trailing `/` are ignored.
 */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.replace(/^\.\//, "").replace(/\/+$/, "");
  let out = "";
  let braceDepth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      const slash = pattern[i + 2] === "/";
      out += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "{") {
      braceDepth++;
      out += "(?:";
    } else if (c === "}" && braceDepth > 0) {
      braceDepth--;
      out += ")";
    } else if (c === "," && braceDepth > 0) out += "|";
    else out += c.replace(/[.+^$(){}|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** `relativePath` itself or one of its parent directories matches (a matched directory brings its files). */
function matchesWithParents(regex: RegExp, relativePath: string): boolean {
  const parts = relativePath.split("/");
  for (let n = parts.length; n > 0; n--) if (regex.test(parts.slice(0, n).join("/"))) return true;
  return false;
}

/** Every file under `dir`, relative, with `/` separators. */
async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(path.join(dir, entry.name), relative)));
    else if (entry.isFile() || entry.isSymbolicLink()) files.push(relative);
  }
  return files;
}

/** Selects the files of `projectDir` that `paths` match and `exclude` does not. */
export async function selectArtifactFiles(
  projectDir: string,
  paths: string[],
  exclude: string[],
): Promise<ArtifactSelection> {
  const all = (await listFiles(projectDir)).sort();
  const excluded = exclude.map(globToRegExp);
  const kept = all.filter((file) => !excluded.some((regex) => matchesWithParents(regex, file)));
  const selected = new Set<string>();
  const patterns = paths.map((pattern) => {
    const regex = globToRegExp(pattern);
    const matched = kept.filter((file) => matchesWithParents(regex, file));
    for (const file of matched) selected.add(file);
    return { pattern, fileCount: matched.length };
  });
  return { files: [...selected].sort(), patterns };
}
