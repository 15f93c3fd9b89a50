// `spec:inputs:<name>:rules` (GitLab 18.7+): an input's `options` and `default` chosen by the first rule
// whose `if` holds for the other inputs' values (`$[[ inputs.provider ]] == 'aws'`); a rule without `if`
// is the fallback; with no match the input has neither (so it is required).
// https://docs.gitlab.com/ci/yaml/#specinputsrules. The checks and their words follow GitLab's entries
// Header::Input (rules beside options/default), Header::Input::Rules and Header::Input::Rules::Rule, and
// the `$[[ inputs.NAME ]]` lexeme of its expression language (Expression::Lexeme::Input).

import { isHash } from "./deep-merge.js";
import { type CiExpression, parseExpression } from "./expression.js";

/** One rule: its condition (null: always), and the options and default it gives the input. */
export interface InputRule {
  condition: { expression: CiExpression; names: string[] } | null;
  options: unknown[] | null;
  default: unknown;
}

const RULE_KEYS = ["if", "options", "default"];
/** GitLab's `Input::ALLOWED_OPTIONS_LIMIT`, for an input's options and a rule's alike. */
export const MAX_INPUT_OPTIONS = 50;
/** Expression::Lexeme::Input: `$[[ inputs.NAME ]]`, NAME made of word characters. */
const INPUT_LEXEME = /\$\[\[\s*inputs\.(\w+)\s*\]\]/g;

/**
 * Parses a rule's `if` with the CI/CD expression language, each `$[[ inputs.NAME ]]` standing for that
 * input's value; anything else the language does not know (a bare `inputs.NAME` too) is a syntax error.
 */
function parseInputCondition(source: string): InputRule["condition"] | null {
  const names: string[] = [];
  const translated = source.replace(INPUT_LEXEME, (_whole, name: string) => {
    if (!names.includes(name)) names.push(name);
    return `$__input_${names.indexOf(name)}`;
  });
  const parsed = parseExpression(translated);
  return parsed.ok ? { expression: parsed.expression, names } : null;
}

/** Ruby's blank?: nil, false, an empty string (or only spaces), array or hash. */
const isBlank = (v: unknown) =>
  v === null ||
  v === undefined ||
  v === false ||
  (typeof v === "string" && v.trim() === "") ||
  (Array.isArray(v) && v.length === 0) ||
  (isHash(v) && Object.keys(v).length === 0);

/** One rule's problems in GitLab's order: the entry's validations, then (only if none) its checks. */
function ruleErrors(rule: unknown, where: string): string[] {
  const errors: string[] = [];
  if (isBlank(rule)) errors.push(`${where} config can't be blank`);
  if (!isHash(rule)) {
    errors.push(`${where} config should be a hash`);
    return errors;
  }
  const unknown = Object.keys(rule).filter((k) => !RULE_KEYS.includes(k));
  if (unknown.length > 0) errors.push(`${where} config contains unknown keys: ${unknown.join(", ")}`);
  if (rule.if !== undefined && rule.if !== null) {
    if (typeof rule.if !== "string" || !parseInputCondition(rule.if))
      errors.push(`${where} if invalid expression syntax`);
  }
  if (rule.options !== undefined && rule.options !== null && !Array.isArray(rule.options))
    errors.push(`${where} options should be a array`);
  if (errors.length > 0) return errors;
  const options = Array.isArray(rule.options) ? rule.options : null;
  if (options && options.length > MAX_INPUT_OPTIONS)
    errors.push(`${where} config cannot define more than ${MAX_INPUT_OPTIONS} options`);
  const hasDefault = Object.hasOwn(rule, "default");
  const hasOptions = options !== null && options.length > 0;
  if (!hasDefault) errors.push(`${where} rule must define 'options' with at least one value and a 'default'`);
  else if (hasOptions && !options.includes(rule.default))
    errors.push(`${where} default '${String(rule.default ?? "")}' must be one of the options`);
  return errors;
}

/** Header::Input's `mutually_exclusive_keys`: rules beside options, rules beside default (file order). */
export function exclusiveKeyErrors(def: Record<string, unknown>, where: string): string[] {
  const errors: string[] = [];
  for (const other of ["options", "default"]) {
    const together = Object.keys(def).filter((k) => k === "rules" || k === other);
    if (together.length > 1)
      errors.push(`${where} config these keys cannot be used together: ${together.join(", ")}`);
  }
  return errors;
}

/**
 * Reads `rules:` of the valid input definition `def` at `where` (`header:spec:inputs:NAME`; GitLab
 * composes the rules of a valid input only); problems go to `errors` and give null.
 */
export function readInputRules(
  def: Record<string, unknown>,
  where: string,
  errors: string[],
): InputRule[] | null {
  const raw = def.rules;
  const found: string[] = [];
  if (!Array.isArray(raw)) found.push(`${where}:rules config should be a array`);
  else for (const rule of raw) found.push(...ruleErrors(rule, `${where}:rules:rule`));
  if (found.length > 0) {
    errors.push(...found);
    return null;
  }
  return (raw as Record<string, unknown>[]).map((rule) => ({
    condition: typeof rule.if === "string" ? parseInputCondition(rule.if) : null,
    options: Array.isArray(rule.options) ? rule.options : null,
    default: rule.default,
  }));
}

/**
 * The value an input has in a condition. GitLab compares values as they are (`true == 'true'` is false),
 * while this expression language holds strings: false and null are unset (falsy, like nil), anything else
 * its text, so `$[[ inputs.flag ]] == 'true'` holds here for a boolean `true`, where GitLab's would not.
 */
function conditionValue(value: unknown): string | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
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
        const value = conditionValue(values[name]);
        if (value !== undefined) variables[`__input_${i}`] = value;
      });
      if (!rule.condition.expression.evaluate(variables)) continue;
    }
    return { options: rule.options, default: rule.default };
  }
  return { options: null, default: undefined };
}
