// A local stand-in for a project's Settings > CI/CD > Variables: a YAML file whose keys are variables,
// each a value or a hash of the attributes GitLab's variables API takes.
//
//   DEPLOY_TOKEN: { value: "s3cr3t-t0ken", masked: true, protected: true }
//   KUBECONFIG: { value: "apiVersion: v1", variable_type: file }
//   TEMPLATE: { value: "$NOT_EXPANDED", raw: true }        # or expand: false
//   SIMPLE: plain value

import { isHash } from "./deep-merge.js";
import { parseYaml } from "./parse-yaml.js";
import { type CiProblem, keyPos, ProblemList, type SourcePos } from "./source-pos.js";

/** One variable of the file, with where its key is. */
export interface VariablesFileEntry {
  key: string;
  value: string;
  variableType: "env_var" | "file";
  protected: boolean;
  masked: boolean;
  raw: boolean;
  environmentScope: string;
  description: string | null;
  pos: SourcePos;
}

const KEYS = [
  "value",
  "variable_type",
  "protected",
  "masked",
  "raw",
  "expand",
  "environment_scope",
  "description",
] as const;

const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** Parses a variables file; every malformed variable is one problem at its key (and is left out). */
export function parseVariablesFile(
  file: string,
  source: string,
): { entries: VariablesFileEntry[]; problems: CiProblem[] } {
  const parsed = parseYaml(file, source);
  const problems = new ProblemList();
  for (const p of parsed.problems.items) problems.add(p, p.message);
  const top: SourcePos = { file, line: 1, col: 1 };
  const entries: VariablesFileEntry[] = [];
  if (parsed.problems.items.length > 0 || parsed.value === undefined || parsed.value === null)
    return { entries, problems: problems.items };
  const root = parsed.value;
  if (!isHash(root)) {
    problems.add(top, "variables config should be a hash of key value pairs, value can be a hash");
    return { entries, problems: problems.items };
  }
  for (const [key, raw] of Object.entries(root)) {
    const pos = keyPos(root, key, top);
    const fail = (message: string) => problems.add(pos, `variables:${key} ${message}`);
    const entry: VariablesFileEntry = {
      key,
      value: "",
      variableType: "env_var",
      protected: false,
      masked: false,
      raw: false,
      environmentScope: "*",
      description: null,
      pos,
    };
    if (raw === null || isScalar(raw)) {
      entries.push({ ...entry, value: raw === null ? "" : String(raw) });
      continue;
    }
    if (!isHash(raw)) {
      fail("config should be a string or a hash");
      continue;
    }
    const unknown = Object.keys(raw).filter((k) => !(KEYS as readonly string[]).includes(k));
    if (unknown.length > 0) {
      fail(`config contains unknown keys: ${unknown.join(", ")}`);
      continue;
    }
    const problem = attributeProblem(raw);
    if (problem) {
      fail(problem);
      continue;
    }
    entries.push({
      ...entry,
      value: raw.value == null ? "" : String(raw.value),
      variableType: raw.variable_type === "file" ? "file" : "env_var",
      protected: raw.protected === true,
      masked: raw.masked === true,
      raw: raw.raw === true || raw.expand === false,
      environmentScope: typeof raw.environment_scope === "string" ? raw.environment_scope : "*",
      description: typeof raw.description === "string" ? raw.description : null,
    });
  }
  return { entries, problems: problems.items };
}

/** The first attribute of a variable hash GitLab's API would refuse, in its words. */
function attributeProblem(raw: Record<string, unknown>): string | null {
  if (raw.value != null && !isScalar(raw.value)) return "value is invalid";
  if (raw.variable_type != null && raw.variable_type !== "env_var" && raw.variable_type !== "file")
    return "variable_type does not have a valid value";
  for (const flag of ["protected", "masked", "raw", "expand"]) {
    if (raw[flag] != null && typeof raw[flag] !== "boolean") return `${flag} is invalid`;
  }
  if (raw.environment_scope != null && typeof raw.environment_scope !== "string")
    return "environment_scope is invalid";
  if (raw.description != null && typeof raw.description !== "string") return "description is invalid";
  return null;
}
