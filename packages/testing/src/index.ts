// @buildsim/testing: buildsim as a GitLab double in a vitest suite. Named exports only.

export type {
  JobOutcome,
  JobScript,
  JournalEntry,
  RequestMatcher,
  ScriptArtifacts,
  VerifyCount,
} from "@buildsim/core";
export type {
  ClockControl,
  ClockInfo,
  JobScriptState,
  JobScripts,
  JobStepInfo,
  RequestJournal,
  StateFixtures,
} from "@buildsim/server";
export { RequestVerificationError } from "@buildsim/server";
export type { GitLabDouble, UseGitLabOptions } from "./use-gitlab.js";
export { useGitLab } from "./use-gitlab.js";
