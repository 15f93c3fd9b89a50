// `include:rules`: `if`, `exists` and `changes` decide whether a file is included, evaluated with the
// pipeline's variables before any job exists. https://docs.gitlab.com/ci/yaml/includes/#use-rules-with-include

import { isHash } from "./deep-merge.js";
import { expandExisting } from "./expand-variables.js";
import { parseExpression } from "./expression.js";

/** What include rules may ask about the pipeline. */
export interface IncludeRuleContext {
  variables: Readonly<Record<string, string>>;
  exists?: (globs: readonly string[]) => boolean;
  changes?: (globs: readonly string[]) => boolean;
}

const RULE_KEYS = ["if", "exists", "changes", "when"];

function paths(value: unknown): string[] | null {
  const list = isHash(value) ? value.paths : value;
  if (typeof list === "string") return [list];
  return Array.isArray(list) && list.every((p) => typeof p === "string") ? (list as string[]) : null;
}

/**
 * Whether the include applies: the first rule whose conditions all hold decides (`when: never` excludes);
 * with no matching rule the file is left out. Errors are GitLab's `include:rules` messages.
 */
export function evaluateIncludeRules(
  rules: readonly unknown[],
  ctx: IncludeRuleContext,
): { include: boolean } | { error: string } {
  for (const rule of rules) {
    if (!isHash(rule)) return { error: "include:rules:rule config should be a hash" };
    const unknown = Object.keys(rule).filter((k) => !RULE_KEYS.includes(k));
    if (unknown.length > 0)
      return { error: `include:rules:rule config contains unknown keys: ${unknown.join(", ")}` };
    if (rule.when !== undefined && rule.when !== null && rule.when !== "never" && rule.when !== "always")
      return { error: `include:rules:rule when unknown value: ${String(rule.when)}` };
    let matches = true;
    if (rule.if !== undefined) {
      if (typeof rule.if !== "string") return { error: "include:rules:rule if should be a string" };
      const parsed = parseExpression(rule.if);
      if (!parsed.ok) return { error: `include:rules:rule if invalid expression syntax` };
      matches = parsed.expression.evaluate(ctx.variables);
    }
    for (const key of ["exists", "changes"] as const) {
      if (!matches || rule[key] === undefined) continue;
      const globs = paths(rule[key]);
      if (!globs) return { error: `include:rules:rule ${key} should be an array of strings` };
      const check = key === "exists" ? ctx.exists : ctx.changes;
      // Without a repository to ask (lint), `exists` finds nothing and `changes` answers true, as GitLab
      // does when it cannot compare.
      const expanded = globs.map((g) => expandExisting(g, ctx.variables));
      matches = check ? check(expanded) : key === "changes";
    }
    if (matches) return { include: rule.when !== "never" };
  }
  return { include: false };
}
