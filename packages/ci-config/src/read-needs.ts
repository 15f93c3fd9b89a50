// `needs:` (job and rule level) and `parallel:matrix` combinations, which `needs:parallel:matrix` shares.

import type { CiCrossNeed, CiNeed, CiVariableDef } from "./ci-config-types.js";
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

/** GitLab builds the needs list from `[config].flatten`: lists nested by YAML aliases or `!reference`. */
function flattenNeeds(
  value: unknown[],
  pos: (index: number) => SourcePos,
): { item: unknown; pos: SourcePos }[] {
  const out: { item: unknown; pos: SourcePos }[] = [];
  value.forEach((item, index) => {
    const itemAt = pos(index);
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else out.push({ item: v, pos: itemAt });
    };
    walk(item);
  });
  return out;
}

/**
 * Reads `needs:`: job names, `{job, artifacts, optional, parallel: {matrix}}` hashes, and (when `cross` is
 * given, job level only) `{project, job, ref, artifacts}` and `{pipeline, job, artifacts}` hashes, which
 * fetch artifacts from other pipelines and are returned in `cross` rather than as pipeline edges.
 */
export function readNeeds(scope: EntryScope, cross?: CiCrossNeed[]): CiNeed[] | null {
  const value = scope.hash.needs;
  const location = `${scope.location}:needs`;
  if (!Array.isArray(value)) {
    scope.problems.add(at(scope, "needs"), `${location} config should be an array`);
    return null;
  }
  const needs: CiNeed[] = [];
  for (const { item, pos } of flattenNeeds(value, (index) => itemPos(value, index, at(scope, "needs")))) {
    if (typeof item === "string") {
      needs.push({ job: item, artifacts: true, optional: false, matrix: null });
      continue;
    }
    if (cross && isHash(item) && (item.project !== undefined || item.pipeline !== undefined)) {
      const need = readCrossNeed(scope, item, pos, `${location}:need`);
      if (need) cross.push(need);
      continue;
    }
    if (!isHash(item) || typeof item.job !== "string") {
      // Entry::Need (lib/gitlab/ci/config/entry/need.rb): no strategy matches → UnknownStrategy.
      scope.problems.add(pos, `${location}:need has an unsupported type`);
      continue;
    }
    const inner: EntryScope = { location: `${location}:need`, hash: item, pos, problems: scope.problems };
    checkKeys(inner, ["job", "artifacts", "optional", "parallel"]);
    let matrix: CiVariableDef[][] | null = null;
    if (item.parallel !== undefined) {
      const parallel = item.parallel;
      // Entry::Product::Parallel (lib/gitlab/ci/config/entry/product/parallel.rb) with needs' allowed
      // strategies (matrix only): each shape has its own message.
      const where = `${inner.location}:parallel`;
      const problem = (text: string) => scope.problems.add(at(inner, "parallel"), `${where} ${text}`);
      if (typeof parallel === "number") problem('config cannot use "parallel: <number>".');
      else if (!isHash(parallel)) problem("should be an integer or a hash");
      else {
        const unknown = Object.keys(parallel).filter((k) => k !== "matrix");
        if (unknown.length > 0) problem(`config contains unknown keys: ${unknown.join(", ")}`);
        if (parallel.matrix === undefined) problem("config missing required keys: matrix");
        else matrix = readMatrix(inner, parallel.matrix, `${where}:matrix`, at(inner, "parallel"));
      }
    }
    needs.push({
      job: item.job,
      artifacts: item.artifacts !== false,
      optional: item.optional === true,
      matrix,
    });
  }
  return needs;
}

/** `needs:project` (EE's CrossProjectDependency) or `needs:pipeline` (CrossPipelineDependency). */
function readCrossNeed(
  scope: EntryScope,
  item: Record<string, unknown>,
  pos: SourcePos,
  location: string,
): CiCrossNeed | null {
  const inner: EntryScope = { location, hash: item, pos, problems: scope.problems };
  const isProject = item.project !== undefined;
  checkKeys(inner, isProject ? ["project", "job", "ref", "artifacts"] : ["pipeline", "job", "artifacts"]);
  const before = scope.problems.items.length;
  const required = isProject ? ["project", "job"] : ["pipeline", "job"];
  for (const key of required) {
    if (typeof item[key] !== "string" || item[key] === "")
      scope.problems.add(at(inner, key), `${location} ${key} should be a string`);
  }
  if (isProject && item.ref !== undefined && typeof item.ref !== "string")
    scope.problems.add(at(inner, "ref"), `${location} ref should be a string`);
  if (item.artifacts !== undefined && typeof item.artifacts !== "boolean")
    scope.problems.add(at(inner, "artifacts"), `${location} artifacts should be a boolean value`);
  if (scope.problems.items.length > before) return null;
  return {
    project: isProject ? (item.project as string) : null,
    ref: isProject && typeof item.ref === "string" ? item.ref : null,
    pipeline: isProject ? null : (item.pipeline as string),
    job: item.job as string,
    artifacts: item.artifacts !== false,
  };
}
