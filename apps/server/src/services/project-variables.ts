// A project's CI/CD variables as GitLab's settings keep them: validation in GitLab's words (`Ci::Variable`,
// `Ci::Maskable`), changes in one transaction, and which variables a pipeline on a ref gets.

import type { ProjectVariable } from "@buildsim/core";
import type { Store } from "../store/create-store.js";

// `Ci::Maskable::REGEX`: Base64's alphabet plus `@ : . ~`, 8 characters or more, on one line. A raw
// (not expanded) variable may hold anything but whitespace (`MASK_AND_RAW_REGEX`).
const MASKABLE = /^[a-zA-Z0-9_+=/@:.~-]{8,}$/;
const MASKABLE_RAW = /^\S{8,}$/;
const KEY = /^[a-zA-Z0-9_]+$/;
const MAX_KEY_LENGTH = 255;
const MAX_VALUE_LENGTH = 10_000;

/** A record's validation errors by attribute, as GitLab's API renders them (`{"message": {...}}`). */
export type VariableErrors = Record<string, string[]>;

/** GitLab's validations of one variable, without uniqueness; an empty object when it is valid. */
export function validateProjectVariable(v: ProjectVariable): VariableErrors {
  const errors: VariableErrors = {};
  const add = (attribute: string, message: string) => {
    errors[attribute] = [...(errors[attribute] ?? []), message];
  };
  if (v.key === "") add("key", "can't be blank");
  else if (v.key.length > MAX_KEY_LENGTH) add("key", `is too long (maximum is ${MAX_KEY_LENGTH} characters)`);
  else if (!KEY.test(v.key)) add("key", "can contain only letters, digits and '_'.");
  if (v.value.length > MAX_VALUE_LENGTH)
    add("value", `is too long (maximum is ${MAX_VALUE_LENGTH} characters)`);
  if (v.masked && !(v.raw ? MASKABLE_RAW : MASKABLE).test(v.value)) add("value", "is invalid");
  if (v.environmentScope === "") add("environment_scope", "can't be blank");
  return errors;
}

/** The outcome of a change: the stored variable, or GitLab's validation errors. */
export type VariableChange = { ok: true; variable: ProjectVariable } | { ok: false; errors: VariableErrors };

const taken = (key: string): VariableErrors => ({ key: [`(${key}) has already been taken`] });

/** Reads and changes project variables on `store`. */
export function createProjectVariables(store: Store) {
  const find = (projectId: number, key: string, scope: string) =>
    store.projectVariables.list(projectId).find((v) => v.key === key && v.environmentScope === scope);
  return {
    list: (projectId: number) => store.projectVariables.list(projectId),

    /** The variables named `key`, narrowed to `scope` when given (`filter[environment_scope]`). */
    matching(projectId: number, key: string, scope?: string): ProjectVariable[] {
      return store.projectVariables
        .list(projectId)
        .filter((v) => v.key === key && (scope === undefined || v.environmentScope === scope));
    },

    create(variable: ProjectVariable): VariableChange {
      const errors = validateProjectVariable(variable);
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      return store.transaction(() => {
        if (find(variable.projectId, variable.key, variable.environmentScope))
          return { ok: false as const, errors: taken(variable.key) };
        store.projectVariables.insert(variable);
        return { ok: true as const, variable };
      });
    },

    /** Replaces `current` by `next` (same project and key). */
    update(current: ProjectVariable, next: ProjectVariable): VariableChange {
      const errors = validateProjectVariable(next);
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      return store.transaction(() => {
        if (
          next.environmentScope !== current.environmentScope &&
          find(next.projectId, next.key, next.environmentScope)
        )
          return { ok: false as const, errors: taken(next.key) };
        store.projectVariables.update(current.key, current.environmentScope, next);
        return { ok: true as const, variable: next };
      });
    },

    delete(variable: ProjectVariable): void {
      store.transaction(() =>
        store.projectVariables.delete(variable.projectId, variable.key, variable.environmentScope),
      );
    },
  };
}

export type ProjectVariables = ReturnType<typeof createProjectVariables>;

/** Whether an environment scope (`*`, `review/*`, `production`) covers `environment` (null: no environment). */
export function scopeMatches(scope: string, environment: string | null): boolean {
  if (scope === "*") return true;
  if (environment === null) return false;
  const pattern = new RegExp(
    `^${scope
      .split("*")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return pattern.test(environment);
}

/**
 * The project variables a job gets (GitLab's `Ci::Variable` scopes): protected ones only on a protected
 * ref; a scoped one only for a matching environment, the most specific scope winning for a key.
 */
export function variablesForJob(
  all: readonly ProjectVariable[],
  refProtected: boolean,
  environment: string | null,
): ProjectVariable[] {
  const chosen = new Map<string, ProjectVariable>();
  for (const v of all) {
    if (v.protected && !refProtected) continue;
    if (!scopeMatches(v.environmentScope, environment)) continue;
    const seen = chosen.get(v.key);
    // An exact or longer scope is more specific than `*`.
    if (!seen || (seen.environmentScope === "*" && v.environmentScope !== "*")) chosen.set(v.key, v);
  }
  return [...chosen.values()];
}
