// `$[[ inputs.name | function … ]]` blocks replaced in every key and value of a loaded file, as GitLab's
// interpolator does after reading the `spec:` header. A value that is exactly one block keeps the input's
// type; blocks inside longer strings are joined as text.
// https://docs.gitlab.com/ci/inputs/#predefined-interpolation-functions

import { isHash } from "./deep-merge.js";
import { expandExisting } from "./expand-variables.js";
import type { InputValue } from "./read-spec-inputs.js";
import { copyLocsRenamed } from "./source-pos.js";

const BLOCK = /\$\[\[\s*(.*?)\s*\]\]/g;
// GitLab refuses more than three functions in one block.
const MAX_FUNCTIONS = 3;

/** Variables `expand_vars` may use: the pipeline's, one level, unknown names left as written. */
export type InterpolationVariables = Readonly<Record<string, string>>;

/** `Shellwords.escape`: every character outside a safe set gets a backslash; newlines are quoted. */
export function posixEscape(text: string): string {
  if (text === "") return "''";
  return text.replace(/[^A-Za-z0-9_\-.,:+/@\n]/g, "\\$&").replace(/\n/g, "'\n'");
}

function applyFunction(
  call: string,
  value: InputValue,
  variables: InterpolationVariables,
): { value: InputValue } | { error: string } {
  const match = /^([a-z_]+)(?:\(\s*([^)]*?)\s*\))?$/.exec(call);
  const name = match?.[1];
  const args = match?.[2] === undefined ? [] : match[2].split(/\s*,\s*/);
  const noMatch = {
    error: `no function matching \`${call}\`: check that the function name, arguments, and types are correct`,
  };
  if (!name) return noMatch;
  const stringOnly = { error: `invalid input type: ${name} can only be used with string inputs` };
  if (name === "truncate") {
    if (args.length !== 2 || !args.every((a) => /^\d+$/.test(a))) return noMatch;
    if (typeof value !== "string") return stringOnly;
    const [offset, length] = args.map(Number) as [number, number];
    return { value: value.slice(offset, offset + length) };
  }
  if (name === "posix_escape" || name === "expand_vars") {
    if (match?.[2] !== undefined) return noMatch;
    if (typeof value !== "string") return stringOnly;
    if (name === "posix_escape") return { value: posixEscape(value) };
    // One level, unknown names left as written (GitLab's `expand_existing`).
    return { value: expandExisting(value, variables) };
  }
  return noMatch;
}

function evaluateBlock(
  body: string,
  inputs: Readonly<Record<string, InputValue>>,
  variables: InterpolationVariables,
): { value: InputValue } | { error: string } {
  const [access = "", ...calls] = body.split("|").map((p) => p.trim());
  if (calls.length > MAX_FUNCTIONS) return { error: "too many functions in interpolation block" };
  const parts = access.split(".");
  if (parts.length !== 2 || parts[0] !== "inputs")
    return { error: `unknown interpolation key: \`${access}\`` };
  const key = parts[1]!;
  if (!Object.hasOwn(inputs, key)) return { error: `unknown interpolation key: \`${key}\`` };
  let value = inputs[key] as InputValue;
  for (const call of calls) {
    const result = applyFunction(call, value, variables);
    if ("error" in result) return result;
    value = result.value;
  }
  return { value };
}

const asText = (value: InputValue): string => (Array.isArray(value) ? JSON.stringify(value) : String(value));

function interpolateString(
  text: string,
  inputs: Readonly<Record<string, InputValue>>,
  variables: InterpolationVariables,
  errors: string[],
): unknown {
  if (!text.includes("$[[")) return text;
  const whole = /^\$\[\[\s*(.*?)\s*\]\]$/.exec(text);
  if (whole && !whole[1]!.includes("]]")) {
    const result = evaluateBlock(whole[1]!, inputs, variables);
    if ("error" in result) {
      errors.push(result.error);
      return text;
    }
    return result.value;
  }
  return text.replace(BLOCK, (block, body: string) => {
    const result = evaluateBlock(body, inputs, variables);
    if ("error" in result) {
      errors.push(result.error);
      return block;
    }
    return asText(result.value);
  });
}

/**
 * Interpolates every `$[[ … ]]` of `value` (keys and values, at any depth). Returns the new value and the
 * errors; positions of maps and lists are kept so later problems still point into the file.
 */
export function interpolateInputs(
  value: unknown,
  inputs: Readonly<Record<string, InputValue>>,
  variables: InterpolationVariables,
): { value: unknown; errors: string[] } {
  const errors: string[] = [];
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") return interpolateString(node, inputs, variables, errors);
    if (Array.isArray(node)) {
      const list = node.map(walk);
      copyLocsRenamed(node, list, new Map());
      return list;
    }
    if (isHash(node)) {
      const out: Record<string, unknown> = {};
      const rename = new Map<string, string>();
      for (const [key, child] of Object.entries(node)) {
        const newKey = key.includes("$[[")
          ? asText(interpolateString(key, inputs, variables, errors) as InputValue)
          : key;
        if (newKey !== key) rename.set(key, newKey);
        out[newKey] = walk(child);
      }
      copyLocsRenamed(node, out, rename);
      return out;
    }
    return node;
  };
  const result = walk(value);
  return { value: result, errors: [...new Set(errors)] };
}
