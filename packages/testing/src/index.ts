// @buildsim/testing: buildsim as a GitLab double in a vitest suite. Named exports only.

export type { JournalEntry, RequestMatcher, VerifyCount } from "@buildsim/core";
export type { ClockControl, ClockInfo, RequestJournal } from "@buildsim/server";
export { RequestVerificationError } from "@buildsim/server";
export type { GitLabDouble, UseGitLabOptions } from "./use-gitlab.js";
export { useGitLab } from "./use-gitlab.js";
