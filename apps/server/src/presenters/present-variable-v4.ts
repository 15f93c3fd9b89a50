// The v4 `Ci::Variable` entity, key order as GitLab renders it.

import type { ProjectVariable, VariableEntity } from "@buildsim/core";

/** `API::Entities::Ci::Variable` of a project variable (never hidden: buildsim has no hidden variables). */
export function presentVariableV4(v: ProjectVariable): VariableEntity {
  return {
    variable_type: v.variableType,
    key: v.key,
    value: v.value,
    hidden: false,
    protected: v.protected,
    masked: v.masked,
    raw: v.raw,
    environment_scope: v.environmentScope,
    description: v.description,
  };
}
