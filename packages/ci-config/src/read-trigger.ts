// A trigger job's `trigger:` validated with GitLab's Entry::Trigger rules: a string (a downstream project),
// a hash with `include:` (a child pipeline of the same project) or a hash with `project:` (multi-project).
// https://docs.gitlab.com/ci/yaml/#trigger

import { TRIGGER_STRATEGIES, type TriggerStrategy } from "@buildsim/core";
import type { CiTrigger } from "./ci-config-types.js";
import { isHash } from "./deep-merge.js";
import { readIncludeEntry } from "./include-location.js";
import { at, checkKeys, type EntryScope, readBoolean } from "./read-values.js";
import { itemPos } from "./source-pos.js";

/** Keys of a trigger job besides `trigger` (Entry::Bridge's ALLOWED_KEYS + Processable's, and `environment`). */
export const BRIDGE_KEYS = [
  "trigger",
  "parallel",
  "extends",
  "stage",
  "only",
  "except",
  "rules",
  "variables",
  "inherit",
  "allow_failure",
  "when",
  "needs",
  "resource_group",
  "environment",
];
/** `when:` a trigger job accepts: no `delayed` (Entry::Bridge::ALLOWED_WHEN). */
export const BRIDGE_WHEN = ["on_success", "on_failure", "always", "manual"] as const;

const CHILD_KEYS = ["include", "strategy", "forward"];
const PROJECT_KEYS = ["project", "branch", "strategy", "forward", "inputs"];

function readForward(
  scope: EntryScope,
): Pick<CiTrigger, "forwardYamlVariables" | "forwardPipelineVariables"> {
  // Ci::Bridge::FORWARD_DEFAULTS: YAML variables are forwarded, pipeline (manual/API) variables are not.
  const result = { forwardYamlVariables: true, forwardPipelineVariables: false };
  if (scope.hash.forward === undefined) return result;
  const location = `${scope.location}:forward`;
  if (!isHash(scope.hash.forward)) {
    scope.problems.add(at(scope, "forward"), `${location} config should be a hash`);
    return result;
  }
  const inner: EntryScope = { ...scope, location, hash: scope.hash.forward, pos: at(scope, "forward") };
  checkKeys(inner, ["yaml_variables", "pipeline_variables"]);
  if (inner.hash.yaml_variables !== undefined)
    result.forwardYamlVariables =
      readBoolean(inner, "yaml_variables", `${location} yaml variables should be a boolean value`) ?? true;
  if (inner.hash.pipeline_variables !== undefined)
    result.forwardPipelineVariables =
      readBoolean(inner, "pipeline_variables", `${location} pipeline variables should be a boolean value`) ??
      false;
  return result;
}

/** `inclusion: { in: %w[depend mirror], message: 'should be depend or mirror' }` (GitLab 18.2+). */
function readStrategy(scope: EntryScope): TriggerStrategy | null {
  const value = scope.hash.strategy;
  if (value === undefined || value === null) return null;
  const known = TRIGGER_STRATEGIES.find((s) => s === value);
  if (known) return known;
  scope.problems.add(at(scope, "strategy"), `${scope.location} strategy should be depend or mirror`);
  return null;
}

/** SameProjectTrigger::INCLUDE_MAX_SIZE: a child pipeline's `trigger:include` lists three files at most. */
const TRIGGER_INCLUDE_MAX_SIZE = 3;

/** `trigger:include`: a path, one entry or up to three entries, each a valid `include:` entry. */
function readChildIncludes(scope: EntryScope): unknown[] {
  const raw = scope.hash.include;
  const list = Array.isArray(raw) ? raw : [raw];
  const location = `${scope.location}:include`;
  if (list.length === 0 || raw === null) {
    scope.problems.add(at(scope, "include"), `${location} config can't be blank`);
    return [];
  }
  // Entry::Includes checks the size first; an invalid entry composes no children, so its files are not read.
  if (list.length > TRIGGER_INCLUDE_MAX_SIZE) {
    scope.problems.add(
      at(scope, "include"),
      `${location} config is too long (maximum is ${TRIGGER_INCLUDE_MAX_SIZE})`,
    );
    return [];
  }
  list.forEach((item, index) => {
    // Variables in the paths are expanded when the child pipeline loads them, with its own variables.
    const read = readIncludeEntry(item, (text) => text);
    if ("error" in read)
      scope.problems.add(
        itemPos(raw, index, at(scope, "include")),
        `${location} ${read.error.replace(/^include /, "")}`,
      );
  });
  return list;
}

/** Reads `scope.hash.trigger` (the job's scope); null when it is invalid (the problems say why). */
export function readTrigger(scope: EntryScope): CiTrigger | null {
  const value = scope.hash.trigger;
  const location = `${scope.location}:trigger`;
  const pos = at(scope, "trigger");
  const base = { include: null, project: null, branch: null, strategy: null, inputs: null };
  if (typeof value === "string") {
    if (value.trim() === "") {
      scope.problems.add(pos, `${location} config can't be blank`);
      return null;
    }
    return { ...base, project: value, forwardYamlVariables: true, forwardPipelineVariables: false };
  }
  if (!isHash(value)) {
    scope.problems.add(pos, `${location} has to be either a string or a hash`);
    return null;
  }
  const inner: EntryScope = { ...scope, location, hash: value, pos };
  const before = scope.problems.items.length;
  if (value.include !== undefined) {
    checkKeys(inner, CHILD_KEYS);
    const include = readChildIncludes(inner);
    const trigger: CiTrigger = { ...base, include, strategy: readStrategy(inner), ...readForward(inner) };
    return scope.problems.items.length > before ? null : trigger;
  }
  if (value.project === undefined) {
    scope.problems.add(pos, `${location} config must specify either project or include`);
    return null;
  }
  checkKeys(inner, PROJECT_KEYS);
  if (typeof value.project !== "string" || value.project.trim() === "")
    scope.problems.add(at(inner, "project"), `${location} project should be a string`);
  if (value.branch !== undefined && typeof value.branch !== "string")
    scope.problems.add(at(inner, "branch"), `${location} branch should be a string`);
  if (value.inputs !== undefined && !isHash(value.inputs))
    scope.problems.add(at(inner, "inputs"), `${location}:inputs config should be a hash`);
  const trigger: CiTrigger = {
    ...base,
    project: typeof value.project === "string" ? value.project : null,
    branch: typeof value.branch === "string" ? value.branch : null,
    strategy: readStrategy(inner),
    inputs: isHash(value.inputs) ? { ...value.inputs } : null,
    ...readForward(inner),
  };
  return scope.problems.items.length > before ? null : trigger;
}
