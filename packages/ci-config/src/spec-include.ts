// `spec:include` in a header: input definitions read from other files (`local`, `project`, `remote`), each
// holding a top-level `inputs:` hash; the header's own `spec:inputs` win over them.
// https://docs.gitlab.com/ci/inputs/#define-pipeline-inputs-in-external-files

import { isHash } from "./deep-merge.js";
import { type IncludeLocation, readIncludeEntry } from "./include-location.js";
import type { IncludeFetch } from "./include-sources.js";
import { parseYaml } from "./parse-yaml.js";

/** The header with the included input definitions merged in, pending while a source fetches, or an error. */
export function mergeSpecIncludes(
  header: Record<string, unknown>,
  fetch: (location: IncludeLocation) => IncludeFetch,
  expand: (text: string) => string,
): { header: Record<string, unknown> } | { pending: true } | { error: string } {
  const spec = header.spec;
  if (!isHash(spec) || spec.include === undefined) return { header };
  const items = Array.isArray(spec.include) ? spec.include : [spec.include];
  let included: Record<string, unknown> = {};
  let pending = false;
  for (const item of items) {
    const read = readIncludeEntry(item, expand);
    if ("error" in read) return { error: `header:spec:include ${read.error}` };
    for (const { location } of read.entries) {
      if (!["local", "project", "remote"].includes(location.type))
        return { error: `header:spec:include config supports only local, project and remote files` };
      const fetched = fetch(location);
      if (fetched.ok === "pending") {
        pending = true;
        continue;
      }
      if (!fetched.ok) return { error: fetched.message };
      const parsed = parseYaml("inputs", fetched.content);
      const first = parsed.problems.items[0];
      if (first) return { error: `header:spec:include: ${first.message}` };
      const inputs = isHash(parsed.value) ? parsed.value.inputs : undefined;
      if (!isHash(inputs)) return { error: "header:spec:include file should define an inputs hash" };
      included = { ...included, ...inputs };
    }
  }
  if (pending) return { pending: true };
  const own = isHash(spec.inputs) ? spec.inputs : {};
  const { include: _, ...rest } = spec;
  return { header: { ...header, spec: { ...rest, inputs: { ...included, ...own } } } };
}
