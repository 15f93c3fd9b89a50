// `needs:` (job and rule level) and `parallel:matrix` combinations, which `needs:parallel:matrix` shares.

import type { CiNeed, CiVariableDef } from "./ci-config-types.js";
import { isHash } from "./deep-merge.js";
import { at, checkKeys, type EntryScope } from "./read-values.js";
import { itemPos, type SourcePos } from "./source-pos.js";

/**
 * Expands a `matrix:` list into variable combinations, entries in order and, within an entry, the first
 * variable varying slowest (Ruby's Array#product). Null after reporting when it is not a list of hashes.
 */
export function readMatrix(
  scope: EntryScope,
  matrix: unknown,
  location: string,
  pos: SourcePos,
): CiVariableDef[][] | null {
  if (!Array.isArray(matrix) || matrix.length === 0 || !matrix.every(isHash)) {
    scope.problems.add(pos, `${location} config should be an array of hashes`);
    return null;
  }
  const instances: CiVariableDef[][] = [];
  for (const [index, entry] of matrix.entries()) {
    const axes: CiVariableDef[][] = [];
    for (const [key, raw] of Object.entries(entry as Record<string, unknown>)) {
      const values = Array.isArray(raw) ? raw : [raw];
      if (!values.every((v) => typeof v === "string" || typeof v === "number")) {
        scope.problems.add(
          itemPos(matrix, index, pos),
          `${location}:variables config should be a hash of key value pairs`,
        );
        return null;
      }
      axes.push(values.map((v) => ({ key, value: String(v) })));
    }
    let combos: CiVariableDef[][] = [[]];
    for (const axis of axes) combos = combos.flatMap((combo) => axis.map((v) => [...combo, v]));
    instances.push(...combos);
  }
  return instances;
}

/** Reads `needs:`: job names or `{job, artifacts, optional, parallel: {matrix}}` hashes. */
export function readNeeds(scope: EntryScope): CiNeed[] | null {
  const value = scope.hash.needs;
  const location = `${scope.location}:needs`;
  if (!Array.isArray(value)) {
    scope.problems.add(at(scope, "needs"), `${location} config should be an array`);
    return null;
  }
  const needs: CiNeed[] = [];
  value.forEach((item, index) => {
    const pos = itemPos(value, index, at(scope, "needs"));
    if (typeof item === "string") {
      needs.push({ job: item, artifacts: true, optional: false, matrix: null });
      return;
    }
    if (!isHash(item) || typeof item.job !== "string") {
      scope.problems.add(pos, `${location}:need config must be a string or a hash with a job`);
      return;
    }
    const inner: EntryScope = { location: `${location}:need`, hash: item, pos, problems: scope.problems };
    checkKeys(inner, ["job", "artifacts", "optional", "parallel"]);
    let matrix: CiVariableDef[][] | null = null;
    if (item.parallel !== undefined) {
      const parallel = item.parallel;
      if (isHash(parallel) && parallel.matrix !== undefined) {
        matrix = readMatrix(
          inner,
          parallel.matrix,
          `${inner.location}:parallel:matrix`,
          at(inner, "parallel"),
        );
      } else {
        scope.problems.add(
          at(inner, "parallel"),
          `${inner.location}:parallel config should be a hash with matrix`,
        );
      }
    }
    needs.push({
      job: item.job,
      artifacts: item.artifacts !== false,
      optional: item.optional === true,
      matrix,
    });
  });
  return needs;
}
