// `spec:inputs:<name>:rules` (GitLab 18.x): an input's `options` and `default` chosen by the first rule
// whose `if` holds for the other inputs' values (`inputs.provider == 'aws' && inputs.env != 'prod'`); a
// rule without `if` always matches; with no match the input has neither (so it is required).
// https://docs.gitlab.com/ci/inputs/ and gitlab-org/gitlab#563375. GitLab's messages for malformed rules
// were not found in its source: these are buildsim's wording.

import { isHash } from "./deep-merge.js";
import { type CiExpression, parseExpression } from "./expression.js";

/** One rule: its condition (null: always), and the options and default it gives the input. */
export interface InputRule {
  condition: { expression: CiExpression; names: string[] } | null;
  options: unknown[] | null;
  default: unknown;
}

const RULE_KEYS = ["if", "options", "default"];
const INPUT_REFERENCE = /\binputs\.([A-Za-z0-9_-]+)/g;

/**
 * Parses an inputs condition with the CI/CD expression language: each `inputs.NAME` becomes a variable,
 * so `==`, `!=`, `=~`, `!~`, `&&`, `||`, parentheses and '…'/"…" strings work as in `rules:if`.
 */
function parseInputCondition(source: string): InputRule["condition"] | string {
  const names: string[] = [];
  const translated = source.replace(INPUT_REFERENCE, (_whole, name: string) => {
    if (!names.includes(name)) names.push(name);
    return `$__input_${names.indexOf(name)}`;
  });
  const parsed = parseExpression(translated);
  return parsed.ok ? { expression: parsed.expression, names } : parsed.error;
}

/** Reads `rules:` of the input definition `def`; problems go to `errors` and give null. */
export function readInputRules(
  def: Record<string, unknown>,
  where: string,
  errors: string[],
): InputRule[] | null {
  const raw = def.rules;
  if (def.options !== undefined || def.default !== undefined) {
    errors.push(`${where} rules cannot be used with options or default`);
    return null;
  }
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every(isHash)) {
    errors.push(`${where}:rules config should be an array of hashes`);
    return null;
  }
  const rules: InputRule[] = [];
  for (const rule of raw as Record<string, unknown>[]) {
    const unknown = Object.keys(rule).filter((k) => !RULE_KEYS.includes(k));
    if (unknown.length > 0)
      errors.push(`${where}:rules:rule config contains unknown keys: ${unknown.join(", ")}`);
    let condition: InputRule["condition"] = null;
    if (rule.if !== undefined) {
      const parsed = typeof rule.if === "string" ? parseInputCondition(rule.if) : "invalid expression syntax";
      if (typeof parsed === "string") errors.push(`${where}:rules:rule if ${parsed}`);
      else condition = parsed;
    }
    if (rule.options !== undefined && !Array.isArray(rule.options))
      errors.push(`${where}:rules:rule options should be an array`);
    rules.push({
      condition,
      options: Array.isArray(rule.options) ? rule.options : null,
      default: rule.default,
    });
  }
  return rules;
}

/** The options and default of the first rule that holds for `values` (none: neither). */
export function pickInputRule(
  rules: readonly InputRule[],
  values: Readonly<Record<string, unknown>>,
): { options: unknown[] | null; default: unknown } {
  for (const rule of rules) {
    if (rule.condition) {
      const variables: Record<string, string> = {};
      rule.condition.names.forEach((name, i) => {
        const value = values[name];
        if (value !== undefined && value !== null) variables[`__input_${i}`] = String(value);
      });
      if (!rule.condition.expression.evaluate(variables)) continue;
    }
    return { options: rule.options, default: rule.default };
  }
  return { options: null, default: undefined };
}
