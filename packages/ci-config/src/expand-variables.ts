// GitLab's two variable expansion mechanisms: the server's (`$VAR`, `${VAR}`, `%VAR%`, nested values sorted
// and expanded before a job is sent) and the runner's (Go's `os.Expand`: `$VAR`, `${VAR}`, `$$` → `$`).
// https://docs.gitlab.com/ci/variables/where_variables_can_be_used/#expansion-mechanisms

/** One variable as GitLab's collection holds it; `raw` (`expand: false`) values are never expanded. */
export interface ExpandableVariable {
  key: string;
  value: string;
  /** `expand: false` / a project variable with "Expand variable reference" unchecked. */
  raw?: boolean;
  /** `variable_type: file`: the runner replaces the value by the path of a file holding it. */
  file?: boolean;
}

// GitLab's `Gitlab::Ci::Variables::Collection::Item::VARIABLES_REGEXP`: `$$` and `%%` are escapes (left
// as they are, the runner turns `$$` into `$`), then `$KEY`, `${KEY}` and `%KEY%`.
const SERVER_PATTERN =
  /\$\$|%%|\$([A-Za-z_][A-Za-z0-9_]*)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|%([A-Za-z_][A-Za-z0-9_]*)%/g;

// Go's `os.Expand` as GitLab Runner calls it: `${...}`, a shell special character, or a name.
const RUNNER_PATTERN = /\$(?:\{([^}]*)\}|([*#$@!?\-0-9])|([A-Za-z0-9_]+))/g;

/** The names `text` refers to in GitLab's server syntax (escapes excluded). */
export function referencedNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(SERVER_PATTERN)) {
    const name = m[1] ?? m[2] ?? m[3];
    if (name !== undefined) names.push(name);
  }
  return names;
}

/**
 * GitLab's `ExpandVariables.expand_existing`: references to known variables are replaced by their value,
 * unknown ones and the `$$`/`%%` escapes are left intact. Used for `rules:changes`/`exists` paths,
 * `environment`, include paths: everything the table says GitLab expands.
 */
export function expandExisting(text: string, vars: Readonly<Record<string, string>>): string {
  if (!text.includes("$") && !text.includes("%")) return text;
  return text.replace(SERVER_PATTERN, (whole, a, b, c) => {
    const name = (a ?? b ?? c) as string | undefined;
    return name !== undefined && Object.hasOwn(vars, name) ? (vars[name] as string) : whole;
  });
}

/**
 * GitLab Runner's expansion (`JobVariables.ExpandValue`, Go's `os.Expand`): `$VAR` and `${VAR}` once,
 * unknown names become empty, `$$` is a literal `$`, and shell specials (`$1`, `$?`…) stay as written.
 * The runner applies it to variable values, `image`, `services`, `artifacts:paths`/`name`, `cache:key`.
 */
export function expandRunner(text: string, vars: Readonly<Record<string, string>>): string {
  if (!text.includes("$")) return text;
  return text.replace(RUNNER_PATTERN, (whole, braced, special, name) => {
    if (special !== undefined) return special === "$" ? "$" : whole;
    const key = (braced ?? name) as string;
    return Object.hasOwn(vars, key) ? (vars[key] as string) : "";
  });
}

/** The outcome of expanding a whole set: GitLab reports reference cycles and then expands nothing. */
export type ExpandVariableSetResult =
  | { ok: true; variables: ExpandableVariable[] }
  | { ok: false; error: string; variables: ExpandableVariable[] };

/**
 * GitLab's `Collection#sort_and_expand_all(keep_undefined: true, expand_file_refs: false,
 * expand_raw_refs: false)`, what the server does before sending a job: every non-raw value has its
 * references to other variables of the set replaced, recursively (in dependency order), so
 * `NESTED: "$GLOBAL-nested"` arrives expanded. References to unknown, file-type and raw variables are
 * left for the runner. On the same key, the later variable wins (pass them lowest precedence first).
 * A reference cycle leaves the set unexpanded with GitLab's `circular variable reference detected` error.
 */
export function expandVariableSet(list: readonly ExpandableVariable[]): ExpandVariableSetResult {
  const byKey = new Map<string, ExpandableVariable>();
  for (const v of list) {
    byKey.delete(v.key);
    byKey.set(v.key, v);
  }
  const variables = [...byKey.values()];
  const done = new Map<string, string>();
  const visiting: string[] = [];
  let cycle: string[] | null = null;
  const resolve = (v: ExpandableVariable): string => {
    const ready = done.get(v.key);
    if (ready !== undefined) return ready;
    if (v.raw || (!v.value.includes("$") && !v.value.includes("%"))) {
      done.set(v.key, v.value);
      return v.value;
    }
    const at = visiting.indexOf(v.key);
    if (at >= 0) {
      cycle ??= visiting.slice(at);
      return v.value;
    }
    visiting.push(v.key);
    const value = v.value.replace(SERVER_PATTERN, (whole, a, b, c) => {
      const name = (a ?? b ?? c) as string | undefined;
      const target = name === undefined ? undefined : byKey.get(name);
      if (!target || target.file || target.raw) return whole;
      return resolve(target);
    });
    visiting.pop();
    done.set(v.key, value);
    return value;
  };
  for (const v of variables) resolve(v);
  if (cycle) {
    return {
      ok: false,
      error: `circular variable reference detected: ${(cycle as string[]).join(", ")}`,
      variables,
    };
  }
  return { ok: true, variables: variables.map((v) => ({ ...v, value: done.get(v.key) ?? v.value })) };
}

/** {@link expandVariableSet} as a plain record, for expressions and expansion of other keywords. */
export function expandedRecord(list: readonly ExpandableVariable[]): Record<string, string> {
  const { variables } = expandVariableSet(list);
  return Object.fromEntries(variables.map((v) => [v.key, v.value]));
}
