// The local include map (`.buildsim/includes.yml`): a project path, URL, template name or component
// address mapped to a local folder or file, so includes resolve without any network.
//
//   group/ci-templates: ../ci-templates              # include:project → a folder (the repository root)
//   https://example.com/ci/lint.yml: vendor/lint.yml # include:remote → a file
//   Jobs/Build.gitlab-ci.yml: vendor/build.yml       # include:template → a file
//   gitlab.com/acme/components: ../components        # include:component → the component project's folder
//   gitlab.com/acme/components/lint@1.0: lint.yml    # one component version → a file

import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

/** Keys as written; values as absolute paths. */
export interface IncludeMap {
  file: string;
  entries: ReadonlyMap<string, string>;
}

/**
 * Reads an include map. A missing file is an empty map unless `required` (the user named it with
 * `--include-map`); a malformed one is an error message.
 */
export function readIncludeMap(file: string, required: boolean): IncludeMap | { error: string } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return required ? { error: `include map ${file} does not exist` } : { file, entries: new Map() };
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    return { error: `include map ${file}: ${(error as Error).message.split("\n")[0]}` };
  }
  if (value === null || value === undefined) return { file, entries: new Map() };
  if (typeof value !== "object" || Array.isArray(value))
    return { error: `include map ${file} should map projects, URLs, templates or components to paths` };
  const entries = new Map<string, string>();
  for (const [key, target] of Object.entries(value as Record<string, unknown>)) {
    if (typeof target !== "string" || target === "")
      return { error: `include map ${file}: ${key} should map to a folder or file path` };
    entries.set(key, path.resolve(path.dirname(file), target));
  }
  return { file, entries };
}

/** Reads a mapped file, or a file below a mapped folder; undefined when there is none. */
export function readMapped(target: string, relative: string | null): string | undefined {
  try {
    const full = relative === null ? target : path.resolve(target, relative);
    if (relative !== null && !full.startsWith(path.resolve(target) + path.sep)) return undefined;
    if (!statSync(full).isFile()) return undefined;
    return readFileSync(full, "utf8");
  } catch {
    return undefined;
  }
}

/** Whether a mapped path is a folder (project or component project) rather than one file. */
export function isFolder(target: string): boolean {
  try {
    return statSync(target).isDirectory();
  } catch {
    return false;
  }
}
