// The job page's log pane: follows the trace and renders it. Its own component so that the per-frame
// re-render while a fast job prints touches only the log, never the rest of the job page.

import { ApiAlert } from "../components/api-alert.js";
import { useTrace } from "../use-trace.js";
import { LogView } from "./log-view.js";

interface JobLogProps {
  project: string;
  jobId: number;
  running: boolean;
  /** Hears the job's status changes (and its end) from the trace socket. */
  onStatus: (status: string) => void;
}

/** The live log of one job, with the trace socket's error above it. */
export function JobLog({ project, jobId, running, onStatus }: JobLogProps) {
  const trace = useTrace(project, jobId, onStatus);
  return (
    <>
      <ApiAlert error={trace.error} action="Log" />
      <LogView model={trace.model} version={trace.version} running={running} />
    </>
  );
}
