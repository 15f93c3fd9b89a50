// The v4 `ProtectedBranch` entity, key order as GitLab renders it (CE: one role per access list).

import type { ProtectedBranch, ProtectedBranchEntity } from "@buildsim/core";
import { describeAccessLevel } from "../services/protected-branches.js";

/**
 * `API::Entities::ProtectedBranch`. buildsim keeps one push and one merge role per rule, so each list has
 * one `ProtectedRefAccess`, numbered like the rule (GitLab numbers each access-level table separately).
 */
export function presentProtectedBranchV4(rule: ProtectedBranch): ProtectedBranchEntity {
  return {
    id: rule.id,
    name: rule.name,
    push_access_levels: [
      {
        id: rule.id,
        access_level: rule.pushAccessLevel,
        access_level_description: describeAccessLevel(rule.pushAccessLevel),
        deploy_key_id: null,
      },
    ],
    merge_access_levels: [
      {
        id: rule.id,
        access_level: rule.mergeAccessLevel,
        access_level_description: describeAccessLevel(rule.mergeAccessLevel),
      },
    ],
    allow_force_push: rule.allowForcePush,
    code_owner_approval_required: false,
  };
}
