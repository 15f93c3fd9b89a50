// Which trace lines the board shows: the job's own output first. The runner's prologue (its header,
// executor, sources) and its epilogue (artifact uploads, `Job succeeded`) stay in the trace and the API;
// `buildsim run --verbose` shows them too. Failures and warnings are always shown.

import { isRunnerEpilogueLine, STEP_SCRIPT_TITLE } from "@buildsim/runner";

/** Decides, line by line, what one job's trace shows on the board. */
export type JobOutputFilter = (line: string) => boolean;

/** A filter for one job's trace; `verbose` shows every line. */
export function createJobOutputFilter(verbose: boolean): JobOutputFilter {
  if (verbose) return () => true;
  let inScript = false;
  return (line) => {
    if (line === STEP_SCRIPT_TITLE) {
      inScript = true;
      return false;
    }
    // Before the script only the runner writes; its errors (a failed download, say) still show.
    if (!inScript) return /^(ERROR|WARNING):/.test(line);
    return !isRunnerEpilogueLine(line);
  };
}
