// A file's `spec:inputs` header and the values an `include:inputs` gives it, checked as GitLab's input
// classes check them (type, options, regex, required), in GitLab's words.
// https://docs.gitlab.com/ci/inputs/#define-input-parameters-with-specinputs

import { isHash } from "./deep-merge.js";
import { patternFromString } from "./expression.js";
import {
  exclusiveKeyErrors,
  type InputRule,
  MAX_INPUT_OPTIONS,
  pickInputRule,
  readInputRules,
} from "./input-rules.js";

/** An input's value after validation: what `$[[ inputs.name ]]` interpolates. */
export type InputValue = string | number | boolean | unknown[];

const TYPES = ["string", "number", "boolean", "array"] as const;
type InputType = (typeof TYPES)[number];
const INPUT_KEYS = ["default", "description", "options", "regex", "type", "rules"];

interface InputSpec {
  name: string;
  type: InputType;
  default: unknown;
  options: unknown[] | null;
  regex: string | null;
  /** `rules:` (GitLab 18.x): the first matching rule gives the options and default. */
  rules: InputRule[] | null;
}

/** GitLab's AlphanumericValidator: a string, a symbol or an integer. */
const isAlphanumeric = (v: unknown) =>
  typeof v === "string" || (typeof v === "number" && Number.isInteger(v));

function typeOk(type: InputType, value: unknown): boolean {
  if (type === "array") return Array.isArray(value);
  return typeof value === type;
}

/** Reads `spec:inputs`; the errors are `header:spec:inputs:…` messages as GitLab's header entry gives them. */
function readSpecs(header: Record<string, unknown>): { specs: InputSpec[]; errors: string[] } {
  const errors: string[] = [];
  const spec = header.spec;
  if (!isHash(spec)) return { specs: [], errors: ["header:spec config should be a hash"] };
  const unknownSpecKeys = Object.keys(spec).filter(
    (k) => !["inputs", "include", "component", "description"].includes(k),
  );
  if (unknownSpecKeys.length > 0)
    errors.push(`header:spec config contains unknown keys: ${unknownSpecKeys.join(", ")}`);
  const inputs = spec.inputs ?? {};
  if (!isHash(inputs))
    return {
      specs: [],
      errors: [...errors, "header:spec:inputs config should be a hash"].map((e) => e.toLowerCase()),
    };
  const specs: InputSpec[] = [];
  for (const [name, raw] of Object.entries(inputs)) {
    const where = `header:spec:inputs:${name}`;
    const def = raw === null || raw === undefined ? {} : raw;
    if (!isHash(def)) {
      errors.push(`${where} config should be a hash`);
      continue;
    }
    // Header::Input's validations, in its order; its rules are composed (and checked) only if it is valid.
    const own: string[] = [];
    const unknown = Object.keys(def).filter((k) => !INPUT_KEYS.includes(k));
    if (unknown.length > 0) own.push(`${where} config contains unknown keys: ${unknown.join(", ")}`);
    own.push(...exclusiveKeyErrors(def, where));
    if (def.description !== undefined && def.description !== null && !isAlphanumeric(def.description))
      own.push(`${where} input description must be an alphanumeric string`);
    if (def.regex !== undefined && def.regex !== null && typeof def.regex !== "string")
      own.push(`${where} input regex should be a string`);
    const type = def.type ?? "string";
    const typeKnown = (TYPES as readonly unknown[]).includes(type);
    if (!typeKnown) own.push(`${where} input type unknown value: ${String(type)}`);
    if (def.options !== undefined && def.options !== null && !Array.isArray(def.options))
      own.push(`${where} input options should be a array`);
    else if (Array.isArray(def.options) && def.options.length > MAX_INPUT_OPTIONS)
      own.push(`${where} config cannot define more than ${MAX_INPUT_OPTIONS} options`);
    errors.push(...own);
    const rules = def.rules === undefined || own.length > 0 ? null : readInputRules(def, where, errors);
    if (!typeKnown) continue;
    specs.push({
      name,
      type: type as InputType,
      default: def.default,
      options: Array.isArray(def.options) ? def.options : null,
      regex: typeof def.regex === "string" ? def.regex : null,
      rules,
    });
  }
  // GitLab's entry validator prints each message downcased whole, location and values too.
  return { specs, errors: errors.map((e) => e.toLowerCase()) };
}

/** GitLab's regex inputs are plain patterns (`^v\d+$`) or `/pattern/flags`. */
function compileInputRegex(source: string): RegExp | null {
  if (source.startsWith("/")) return patternFromString(source);
  try {
    return new RegExp(source);
  } catch {
    return null;
  }
}

function checkValue(spec: InputSpec, value: unknown, isDefault: boolean): string | null {
  const label = `\`${spec.name}\` input:`;
  if (!typeOk(spec.type, value))
    return isDefault
      ? `${label} default value is not a ${spec.type}`
      : `${label} provided value is not a ${spec.type}`;
  if (spec.options && !spec.options.some((o) => o === value))
    return `${label} \`${String(value)}\` cannot be used because it is not in the list of allowed options`;
  if (spec.regex !== null) {
    if (spec.type !== "string") return `${label} RegEx validation can only be used with string inputs`;
    const regex = compileInputRegex(spec.regex);
    if (!regex) return `${label} invalid regular expression`;
    if (!regex.test(value as string))
      return isDefault
        ? `${label} default value does not match required RegEx pattern`
        : `${label} provided value does not match required RegEx pattern`;
  }
  return null;
}

/**
 * The input values for a file with header `header` included with `given` (null when the include has no
 * `inputs:`), or every error GitLab would report, in its words.
 */
export function resolveInputs(
  header: Record<string, unknown>,
  given: Record<string, unknown> | null,
): { values: Record<string, InputValue>; errors: string[] } {
  const { specs, errors } = readSpecs(header);
  const values: Record<string, InputValue> = {};
  if (errors.length > 0) return { values, errors };
  const provided = given ?? {};
  const known = new Set(specs.map((s) => s.name));
  const unknown = Object.keys(provided).filter((k) => !known.has(k));
  if (unknown.length > 0) errors.push(`unknown input arguments: ${unknown.join(", ")}`);
  // Inputs with `rules` are resolved last, in order, each seeing the values resolved before it.
  const ordered = [...specs.filter((s) => !s.rules), ...specs.filter((s) => s.rules)];
  for (const declared of ordered) {
    const spec = declared.rules ? { ...declared, ...pickInputRule(declared.rules, values) } : declared;
    const has = Object.hasOwn(provided, spec.name) && provided[spec.name] !== null;
    if (!has && spec.default === undefined) {
      errors.push(`\`${spec.name}\` input: required value has not been provided`);
      continue;
    }
    const value = has ? provided[spec.name] : spec.default;
    const error = checkValue(spec, value, !has);
    if (error) errors.push(error);
    else values[spec.name] = value as InputValue;
  }
  return { values, errors };
}
