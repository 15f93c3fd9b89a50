// GitLab's protected branches: which rule covers a branch (wildcards), who may update a protected branch
// (`Gitlab::UserAccess#can_update_branch?`), and protecting / unprotecting as outcomes, not exceptions.

import {
  ACCESS_LEVELS,
  PROTECTED_ACCESS_LEVELS,
  type Project,
  type ProtectedAccessLevel,
  type ProtectedBranch,
  type User,
} from "@buildsim/core";
import { accessLevelOf, type RefStanding } from "../auth/abilities.js";
import type { Store } from "../store/create-store.js";

/**
 * Whether the rule `name` covers `branch` (`RefMatcher#matches?`): an exact name, or a wildcard where
 * each `*` stands for any run of characters, `/` included (`release/*` covers `release/1/hotfix`).
 */
export function ruleMatches(name: string, branch: string): boolean {
  if (!name.includes("*")) return name === branch;
  const pattern = name
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*?");
  return new RegExp(`^${pattern}$`, "s").test(branch);
}

/** The rules of `rules` that cover `branch`. */
export function rulesFor(rules: readonly ProtectedBranch[], branch: string): ProtectedBranch[] {
  return rules.filter((r) => ruleMatches(r.name, branch));
}

/**
 * `ProtectedRefAccess#check_access` for a role: nobody for 0; admins always otherwise ("is always true
 * for admins", spec/models/concerns/protected_ref_access_spec.rb); instance admins only for 60; else a
 * member who may push code (Developer+) with at least that role.
 */
export function roleAllows(level: ProtectedAccessLevel, user: User, project: Project): boolean {
  if (level === PROTECTED_ACCESS_LEVELS.noOne) return false;
  if (user.isAdmin) return true;
  if (level === PROTECTED_ACCESS_LEVELS.admin) return false;
  const member = accessLevelOf(user, project);
  return member >= ACCESS_LEVELS.developer && member >= level;
}

/**
 * `can_update_branch?`: push or merge allowed. An unprotected branch needs `push_code` (Developer+,
 * admins); a protected one needs a covering rule whose push or merge level lets the user in.
 */
export function canUpdateBranch(
  user: User,
  project: Project,
  rules: readonly ProtectedBranch[],
  branch: string,
): boolean {
  const covering = rulesFor(rules, branch);
  if (covering.length === 0) return user.isAdmin || accessLevelOf(user, project) >= ACCESS_LEVELS.developer;
  return covering.some(
    (r) => roleAllows(r.pushAccessLevel, user, project) || roleAllows(r.mergeAccessLevel, user, project),
  );
}

/** The one part of the store the protection rules read. */
type RuleStore = Pick<Store, "protectedBranches">;

/** What a pipeline or job ref is: a branch may be protected; tags have no protection rules here. */
export interface RefOf {
  ref: string;
  tag: boolean;
}

/** `ProtectedBranch.protected?` for a job's ref (`CI_COMMIT_REF_PROTECTED`); tags are never protected. */
export function isRefProtected(store: RuleStore, projectId: number, at: RefOf): boolean {
  return !at.tag && rulesFor(store.protectedBranches.list(projectId), at.ref).length > 0;
}

/**
 * `Ci::BuildPolicy`'s `protected_ref` condition: the user may not update the branch the job or pipeline
 * ran on, which takes away `update_build`, `cancel_build` and `erase_build` (and pipelines' update and
 * cancel). Tags: buildsim models no protected tags, so a Developer may create any tag.
 */
export function isProtectedRefFor(user: User, project: Project, store: RuleStore, at: RefOf): boolean {
  if (at.tag) return false;
  return !canUpdateBranch(user, project, store.protectedBranches.list(project.id), at.ref);
}

/** `ProtectedRefAccess.humanize`. */
export function describeAccessLevel(level: ProtectedAccessLevel): string {
  switch (level) {
    case PROTECTED_ACCESS_LEVELS.developer:
      return "Developers + Maintainers";
    case PROTECTED_ACCESS_LEVELS.maintainer:
      return "Maintainers";
    case PROTECTED_ACCESS_LEVELS.admin:
      return "Instance admins";
    default:
      return "No one";
  }
}

/** GitLab's default branch protection (`Fully protected`): Maintainers push and merge, no force push. */
export const defaultBranchRule = (projectId: number, name: string): Omit<ProtectedBranch, "id"> => ({
  projectId,
  name,
  pushAccessLevel: PROTECTED_ACCESS_LEVELS.maintainer,
  mergeAccessLevel: PROTECTED_ACCESS_LEVELS.maintainer,
  allowForcePush: false,
});

/** Protects `name` the default way unless a rule of that exact name exists (a new default branch). */
export function protectDefaultBranch(store: Store, projectId: number, name: string): void {
  if (!store.protectedBranches.get(projectId, name))
    store.protectedBranches.insert(defaultBranchRule(projectId, name));
}

/** The outcome of protecting a branch: the rule, or GitLab's 409 when the name is already protected. */
export type ProtectOutcome = { ok: true; rule: ProtectedBranch } | { ok: false; reason: "exists" };

/** Adds the rule `rule` to its project in one transaction. */
export function protectBranch(store: Store, rule: Omit<ProtectedBranch, "id">): ProtectOutcome {
  return store.transaction(() => {
    if (store.protectedBranches.get(rule.projectId, rule.name))
      return { ok: false as const, reason: "exists" };
    return { ok: true as const, rule: store.protectedBranches.insert(rule) };
  });
}

/** Removes a rule; the branch (or the branches a wildcard covered) becomes unprotected. */
export function unprotectBranch(store: Store, rule: ProtectedBranch): void {
  store.transaction(() => store.protectedBranches.delete(rule.id));
}

/** How `at` stands for `user` in `project`: protected at all, and protected against the user. */
export function refStanding(store: RuleStore, user: User, project: Project, at: RefOf): RefStanding {
  if (at.tag) return { protected: false, blocked: false };
  // The rules read once for both answers.
  const rules = store.protectedBranches.list(project.id);
  return {
    protected: rulesFor(rules, at.ref).length > 0,
    blocked: !canUpdateBranch(user, project, rules, at.ref),
  };
}
