// `artifacts:` of a job or of `default:`, validated into core's artifacts options.

import type { BuildArtifactsOptions } from "@buildsim/core";
import {
  at,
  checkKeys,
  type EntryScope,
  readBoolean,
  readDuration,
  readStringArray,
  subScope,
} from "./read-values.js";

const ARTIFACT_KEYS = [
  "name",
  "untracked",
  "paths",
  "reports",
  "when",
  "expire_in",
  "expose_as",
  "exclude",
  "public",
  "access",
];
const ARTIFACT_WHEN = ["on_success", "on_failure", "always"] as const;

/** Reads `artifacts:` into core's artifacts options. */
export function readArtifacts(scope: EntryScope): BuildArtifactsOptions | null {
  const inner = subScope(scope, "artifacts", `${scope.location}:artifacts config should be a hash`);
  if (!inner) return null;
  checkKeys(inner, ARTIFACT_KEYS);
  const h = inner.hash;
  const options: BuildArtifactsOptions = { paths: [], when: "on_success" };
  if (h.paths !== undefined) {
    options.paths =
      readStringArray(inner, "paths", `${inner.location} paths should be an array of strings`) ?? [];
  }
  if (h.exclude !== undefined) {
    const exclude = readStringArray(
      inner,
      "exclude",
      `${inner.location} exclude should be an array of strings`,
    );
    if (exclude) options.exclude = exclude;
  }
  if (h.name !== undefined) {
    if (typeof h.name === "string") options.name = h.name;
    else inner.problems.add(at(inner, "name"), `${inner.location} name should be a string`);
  }
  if (h.untracked !== undefined) {
    const untracked = readBoolean(
      inner,
      "untracked",
      `${inner.location} untracked should be a boolean value`,
    );
    if (untracked !== null) options.untracked = untracked;
  }
  if (h.when !== undefined) {
    if ((ARTIFACT_WHEN as readonly unknown[]).includes(h.when))
      options.when = h.when as BuildArtifactsOptions["when"];
    else
      inner.problems.add(
        at(inner, "when"),
        `${inner.location} when should be one of: ${ARTIFACT_WHEN.join(", ")}`,
      );
  }
  if (h.expire_in !== undefined) {
    if (
      h.expire_in === "never" ||
      readDuration(inner, "expire_in", `${inner.location} expire in should be a duration`) !== null
    ) {
      options.expireIn = String(h.expire_in);
    }
  }
  if (h.reports !== undefined) {
    const reports = subScope(inner, "reports", `${inner.location}:reports config should be a hash`);
    if (reports) {
      const dotenv = readReportFiles(reports, "dotenv");
      if (dotenv) options.reportsDotenv = dotenv;
      const junit = readReportFiles(reports, "junit");
      if (junit) options.reportsJunit = junit;
    }
  }
  return options;
}

/**
 * One `artifacts:reports:<type>` value: a path or a list of paths (globs allowed), GitLab's
 * `Entry::Reports` check "<type> should be an array of strings or a string".
 */
function readReportFiles(reports: EntryScope, type: "dotenv" | "junit"): string[] | null {
  const value = reports.hash[type];
  if (value === undefined) return null;
  const files = typeof value === "string" ? [value] : value;
  if (Array.isArray(files) && files.every((f) => typeof f === "string")) return files as string[];
  reports.problems.add(
    at(reports, type),
    `${reports.location} ${type} should be an array of strings or a string`,
  );
  return null;
}
