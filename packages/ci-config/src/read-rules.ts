// `rules:`, `workflow:rules:` and `only:`/`except:` validated into evaluable structures.

import type { BuildWhen } from "@buildsim/core";
import type { CiPolicy, CiRule } from "./ci-config-types.js";
import { isHash } from "./deep-merge.js";
import type { CiExpression } from "./expression.js";
import { compilePattern, parseExpression } from "./expression.js";
import { readNeeds } from "./read-needs.js";
import {
  at,
  checkKeys,
  type EntryScope,
  readBoolean,
  readDuration,
  readExpression,
  readFileCondition,
  readVariables,
} from "./read-values.js";
import { itemPos, type SourcePos } from "./source-pos.js";

const JOB_RULE_KEYS = [
  "if",
  "changes",
  "exists",
  "when",
  "start_in",
  "allow_failure",
  "variables",
  "needs",
  "interruptible",
];
const JOB_RULE_WHEN = ["on_success", "on_failure", "always", "never", "manual", "delayed"];
const WORKFLOW_RULE_KEYS = ["if", "changes", "exists", "when", "variables", "auto_cancel"];
const WORKFLOW_RULE_WHEN = ["always", "never"];
const ONE_WEEK_S = 7 * 86400;

// `rules:` may hold nested arrays (from `!reference`), flattened like GitLab does up to 10 levels.
function flattenRules(value: unknown[], depth = 0): unknown[] {
  if (depth > 10) return value;
  return value.flatMap((v) => (Array.isArray(v) ? flattenRules(v, depth + 1) : [v]));
}

/** Reads `rules:` of a job (`workflow` false) or of `workflow:` (`workflow` true). */
export function readRules(scope: EntryScope, key: string, workflow: boolean): CiRule[] | null {
  const raw = scope.hash[key];
  const list = Array.isArray(raw) ? flattenRules(raw) : null;
  if (!list?.every(isHash)) {
    scope.problems.add(at(scope, key), `${scope.location} ${key} should be an array of hashes`);
    return null;
  }
  const rules: CiRule[] = [];
  list.forEach((item, index) => {
    const rulePos: SourcePos = itemPos(raw, index, at(scope, key));
    const rule: EntryScope = {
      location: `${scope.location}:${key}:rule`,
      hash: item as Record<string, unknown>,
      pos: rulePos,
      problems: scope.problems,
    };
    rules.push(readRule(rule, workflow));
  });
  return rules;
}

function readRule(scope: EntryScope, workflow: boolean): CiRule {
  const h = scope.hash;
  const allowedWhen = workflow ? WORKFLOW_RULE_WHEN : JOB_RULE_WHEN;
  const allowedKeys = workflow ? WORKFLOW_RULE_KEYS : JOB_RULE_KEYS;
  const delayed = h.when === "delayed";
  checkKeys(scope, allowedKeys);
  if (!workflow && !delayed && h.start_in !== undefined) {
    scope.problems.add(at(scope, "start_in"), `${scope.location} config contains disallowed keys: start_in`);
  }
  const rule: CiRule = {
    if: null,
    changes: null,
    exists: null,
    when: null,
    allowFailure: null,
    startInS: null,
    variables: [],
    needs: null,
    interruptible: null,
    pos: scope.pos,
  };
  if (h.if !== undefined) rule.if = readExpression(scope, "if");
  if (h.changes !== undefined) rule.changes = readFileCondition(scope, "changes");
  if (h.exists !== undefined) rule.exists = readFileCondition(scope, "exists");
  if (h.variables !== undefined) rule.variables = readVariables(scope, "variables");
  if (h.needs !== undefined && !workflow) rule.needs = readNeeds(scope);
  if (h.interruptible !== undefined && !workflow) {
    rule.interruptible = readBoolean(
      scope,
      "interruptible",
      `${scope.location} interruptible should be a boolean value`,
    );
  }
  if (h.when !== undefined) {
    if (typeof h.when === "string" && allowedWhen.includes(h.when)) rule.when = h.when as BuildWhen;
    else scope.problems.add(at(scope, "when"), `${scope.location} when unknown value: ${String(h.when)}`);
  }
  if (h.allow_failure !== undefined) {
    if (typeof h.allow_failure === "boolean") rule.allowFailure = h.allow_failure;
    else
      scope.problems.add(
        at(scope, "allow_failure"),
        `${scope.location} allow failure should be a boolean value`,
      );
  }
  if (delayed) {
    if (h.start_in === undefined) scope.problems.add(scope.pos, `${scope.location} start in can't be blank`);
    else
      rule.startInS = readDuration(
        scope,
        "start_in",
        `${scope.location} start in should be a duration`,
        ONE_WEEK_S,
      );
  }
  return rule;
}

/** A `/regex/flags` ref pattern must compile; plain names are compared literally. */
function isValidRef(ref: string): boolean {
  const match = /^\/(.+)\/([a-zA-Z]*)$/.exec(ref);
  return !match || compilePattern(match[1]!, match[2]!) !== null;
}

/** Reads `only:` or `except:`: an array of refs, or `{refs, variables, changes, kubernetes}`. */
export function readPolicy(scope: EntryScope, key: "only" | "except"): CiPolicy | null {
  const raw = typeof scope.hash[key] === "string" ? [scope.hash[key]] : scope.hash[key];
  const location = `${scope.location}:${key}`;
  const refsMessage = `${location} config should be an array of strings or regular expressions`;
  const readRefs = (value: unknown): string[] | null => {
    if (Array.isArray(value) && value.every((r) => typeof r === "string" && isValidRef(r)))
      return value as string[];
    scope.problems.add(at(scope, key), refsMessage);
    return null;
  };
  if (Array.isArray(raw)) {
    const refs = readRefs(raw);
    return refs ? { refs, variables: null, changes: null, kubernetes: false } : null;
  }
  if (!isHash(raw)) {
    scope.problems.add(at(scope, key), `${location} has to be either an array of conditions or a hash`);
    return null;
  }
  const policy: EntryScope = { location, hash: raw, pos: at(scope, key), problems: scope.problems };
  checkKeys(policy, ["refs", "variables", "changes", "kubernetes"]);
  const result: CiPolicy = { refs: null, variables: null, changes: null, kubernetes: false };
  if (raw.kubernetes !== undefined) {
    if (raw.kubernetes === "active") result.kubernetes = true;
    else
      scope.problems.add(
        at(policy, "kubernetes"),
        `${location} kubernetes unknown value: ${String(raw.kubernetes)}`,
      );
  }
  if (raw.refs !== undefined) result.refs = readRefs(raw.refs);
  if (raw.changes !== undefined) result.changes = readFileCondition(policy, "changes");
  if (raw.variables !== undefined) {
    const list = Array.isArray(raw.variables) ? raw.variables : null;
    const parsed = list?.map((v) => (typeof v === "string" ? parseExpression(v) : null));
    if (!parsed || parsed.some((p) => !p?.ok)) {
      scope.problems.add(
        at(policy, "variables"),
        `${location}:variables config should be an array of valid expressions`,
      );
    } else {
      result.variables = parsed.map((p) => (p as { ok: true; expression: CiExpression }).expression);
    }
  }
  return result;
}
