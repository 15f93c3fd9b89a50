// `buildsim run --variables-file F` (default `<data>/variables.yml`): the project's CI/CD variables, checked
// with GitLab's rules and stored as the project's settings before the pipeline is created.

import { readFileSync } from "node:fs";
import { formatProblem, parseVariablesFile } from "@buildsim/ci-config";
import type { ProjectVariable } from "@buildsim/core";
import { validateProjectVariable } from "@buildsim/server";

/** The file's variables for `projectId`, none when the default file is absent, or the errors. */
export type LoadVariablesFileResult =
  | { ok: true; variables: ProjectVariable[] | null }
  | { ok: false; errors: string[] };

/**
 * Reads `file`. `explicit` says the user named it: a missing file is then an error; a missing default
 * file means the project's stored variables stay as they are (`variables: null`).
 */
export function loadVariablesFile(
  file: string,
  /** How messages name the file (relative to where the user is). */
  shownAs: string,
  explicit: boolean,
  projectId: number,
): LoadVariablesFileResult {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (error) {
    if (!explicit && (error as NodeJS.ErrnoException).code === "ENOENT") return { ok: true, variables: null };
    return { ok: false, errors: [`${file}: ${(error as Error).message}`] };
  }
  const { entries, problems } = parseVariablesFile(shownAs, source);
  const errors = problems.map(formatProblem);
  const variables: ProjectVariable[] = [];
  const seen = new Set<string>();
  for (const { pos, ...entry } of entries) {
    const variable: ProjectVariable = { projectId, ...entry };
    const found = validateProjectVariable(variable);
    // GitLab's uniqueness: one variable per key and environment scope.
    const scoped = `${entry.key}\0${entry.environmentScope}`;
    if (seen.has(scoped)) found.key = [...(found.key ?? []), `(${entry.key}) has already been taken`];
    seen.add(scoped);
    const messages = Object.entries(found).flatMap(([attribute, list]) =>
      list.map((m) => `variables:${entry.key} ${attribute} ${m}`),
    );
    for (const message of messages) errors.push(formatProblem({ ...pos, message }));
    if (messages.length === 0) variables.push(variable);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, variables };
}
