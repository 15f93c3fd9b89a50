// The job's variables as GitLab Runner prepares them: file-type variables written to files (the variable
// holds the path), then every non-raw value expanded once with Go's `os.Expand` (`$$` → `$`).
// https://docs.gitlab.com/ci/variables/where_variables_can_be_used/#gitlab-runner-internal-variable-expansion-mechanism

import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { expandRunner } from "@buildsim/ci-config";
import type { JobArtifactsSpec, JobPayload, JobVariable } from "@buildsim/core";

/** The job's variables by key, ready for the shell, and the files written for file-type variables. */
export interface PreparedVariables {
  values: Record<string, string>;
  /** Removes the files written for file-type variables. */
  removeFiles(): Promise<void>;
}

/** The runner's expansion of `variables` (already ordered lowest precedence first; later keys win). */
export function expandJobVariables(variables: readonly JobVariable[]): Record<string, string> {
  const plain: Record<string, string> = {};
  for (const v of variables) plain[v.key] = v.value;
  const out: Record<string, string> = {};
  for (const v of variables) out[v.key] = v.raw || v.file ? v.value : expandRunner(v.value, plain);
  return out;
}

/**
 * Writes each file-type variable's value to `<dir>/<KEY>` (mode 0600) and returns every variable with
 * those paths as values, expanded the runner's way, plus the directories GitLab Runner adds.
 */
export async function prepareJobVariables(
  variables: readonly JobVariable[],
  dir: string,
  runnerVariables: Readonly<Record<string, string>>,
): Promise<PreparedVariables> {
  const files = variables.filter((v) => v.file);
  if (files.length > 0) await mkdir(dir, { recursive: true, mode: 0o700 });
  const withPaths: JobVariable[] = [];
  for (const v of variables) {
    if (!v.file) {
      withPaths.push(v);
      continue;
    }
    const file = path.join(dir, v.key);
    await writeFile(file, v.value, { mode: 0o600 });
    withPaths.push({ ...v, value: file });
  }
  const runner = Object.entries(runnerVariables).map(([key, value]) => ({ key, value, public: true }));
  return {
    values: expandJobVariables([...withPaths, ...runner]),
    removeFiles: () => (files.length > 0 ? rm(dir, { recursive: true, force: true }) : Promise.resolve()),
  };
}

/** `artifacts:paths`, `exclude`, `reports:dotenv` and `reports:junit` with the job's variables expanded (runner-side). */
export function expandArtifacts(spec: JobArtifactsSpec, values: Readonly<Record<string, string>>) {
  const expand = (list: readonly string[]) => list.map((p) => expandRunner(p, values));
  return {
    ...spec,
    name: spec.name === null ? null : expandRunner(spec.name, values),
    paths: expand(spec.paths),
    exclude: expand(spec.exclude),
    reportsDotenv: expand(spec.reportsDotenv ?? []),
    reportsJunit: expand(spec.reportsJunit ?? []),
  };
}

/** `image` and `services` names as the runner expands them before pulling. */
export function expandImages(job: Pick<JobPayload, "image" | "services" | "variables">) {
  const values = expandJobVariables(job.variables);
  return {
    image: job.image === null ? null : { ...job.image, name: expandRunner(job.image.name, values) },
    services: job.services.map((s) => ({ ...s, name: expandRunner(s.name, values) })),
  };
}
