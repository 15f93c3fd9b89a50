import { describe, expect, it } from "vitest";
import { createJobOutputFilter } from "./job-output-filter.js";

// A shell job's trace as the runner writes it (apps/runner/src/run-job-script.ts, shell-executor.ts).
const TRACE = [
  "Running with buildsim-runner 0.0.0",
  "  on buildsim-run",
  'Preparing the "shell" executor',
  "",
  "Copying sources from /src",
  "",
  'Executing "step_script" stage of the job script',
  "$ make",
  "built",
  "",
  "Uploading artifacts for successful job",
  "Uploading artifacts...",
  "dist/: found 1 matching artifact files and directories",
  'Uploading artifacts as "archive" to coordinator... 201 Created  id=1 responseStatus=201 Created',
  "",
  "Job succeeded",
];

describe("the board's job output filter", () => {
  it("shows the job's own output and hides the runner's prologue and epilogue", () => {
    const show = createJobOutputFilter(false);
    expect(TRACE.filter(show)).toEqual(["$ make", "built"]);
  });

  it("shows every line with --verbose", () => {
    expect(TRACE.filter(createJobOutputFilter(true))).toEqual(TRACE);
  });

  it("keeps the runner's errors and the failure line", () => {
    const show = createJobOutputFilter(false);
    const lines = [
      "ERROR: Downloading artifacts from coordinator... 404 Not Found  id=3",
      'Executing "step_script" stage of the job script',
      "$ exit 3",
      "",
      "ERROR: Job failed: exit code 3",
    ];
    expect(lines.filter(show)).toEqual([lines[0], "$ exit 3", "ERROR: Job failed: exit code 3"]);
  });
});
