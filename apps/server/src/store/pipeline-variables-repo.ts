// The variables a pipeline was created with (API `variables`, trigger variables, `--var`): GitLab's
// `ci_pipeline_variables`, kept in the order given.

import type { Db } from "./sql-db.js";

/** One pipeline variable as GitLab stores it. */
export interface PipelineVariable {
  key: string;
  value: string;
  variableType: "env_var" | "file";
}

interface Row {
  key: string;
  value: string;
  variable_type: string;
}

/** The variables pipelines were created with. */
export interface PipelineVariablesRepo {
  /** A pipeline's variables, in the order given. */
  list(pipelineId: number): PipelineVariable[];
  /** Stores a new pipeline's variables (once, when it is created). */
  insertAll(pipelineId: number, variables: readonly PipelineVariable[]): void;
}

/** Reads and writes pipeline variables. */
export function createPipelineVariablesRepo(db: Db): PipelineVariablesRepo {
  const list = db.prepare(
    "SELECT key, value, variable_type FROM pipeline_variables WHERE pipeline_id = ? ORDER BY position",
  );
  const insert = db.prepare(
    "INSERT INTO pipeline_variables (pipeline_id, position, key, value, variable_type) VALUES (?, ?, ?, ?, ?)",
  );
  return {
    list(pipelineId: number): PipelineVariable[] {
      return (list.all(pipelineId) as Row[]).map((r) => ({
        key: r.key,
        value: r.value,
        variableType: r.variable_type === "file" ? "file" : "env_var",
      }));
    },
    /** Stores a new pipeline's variables (once, when it is created). */
    insertAll(pipelineId: number, variables: readonly PipelineVariable[]): void {
      variables.forEach((v, i) => {
        insert.run(pipelineId, i, v.key, v.value, v.variableType);
      });
    },
  };
}
