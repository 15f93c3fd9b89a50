// Streams a job's log into a TraceModel over the trace WebSocket (the client resumes from the bytes it
// holds after any drop, so no line is lost or repeated), re-rendering at most once per frame.

import { isClientError } from "@buildsim/client";
import { useEffect, useRef, useState } from "preact/hooks";
import { LogFeeder } from "./log/log-feeder.js";
import { TraceModel } from "./log/trace-model.js";
import { useSession } from "./session.js";

/** The model, a version that changes as it grows, and the watch's error. */
export interface TraceState {
  model: TraceModel;
  version: number;
  error: unknown;
}

/** Follows the trace of `jobId`; `onStatus` hears the job's status changes and its end. */
export function useTrace(project: string, jobId: number, onStatus: (status: string) => void): TraceState {
  const { client } = useSession();
  const [model] = useState(() => new TraceModel());
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const statusCallback = useRef(onStatus);
  statusCallback.current = onStatus;
  useEffect(() => {
    const controller = new AbortController();
    let frame = 0;
    const feeder = new LogFeeder(model, () => {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        setVersion((v) => v + 1);
      });
    });
    (async () => {
      try {
        const events = client.watchTrace(project, jobId, {
          signal: controller.signal,
          fromOffset: model.bytes,
        });
        for await (const event of events) {
          if (event.type === "chunk") feeder.push(event.bytes);
          else statusCallback.current(event.status);
        }
      } catch (e) {
        if (!isClientError(e, "aborted")) setError(e);
      }
    })();
    return () => {
      controller.abort();
      feeder.close();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [client, project, jobId, model]);
  return { model, version, error };
}
