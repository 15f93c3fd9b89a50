// Live updates for a page: follows the project's events socket and calls `onChange` (batched per frame)
// for every job or pipeline change, and after every connect, so the page refetches what it shows. The
// first connect counts too: the page's own first load may have finished before the socket subscribed,
// and a change in between (a pipeline created right after the page showed) would otherwise never show.

import { isClientError, type ProjectEvent } from "@buildsim/client";
import { useEffect, useRef } from "preact/hooks";
import { useSession } from "./session.js";

/** Calls `onChange(events)` as the project changes; `projectId` undefined waits. */
export function useProjectEvents(
  projectId: number | undefined,
  onChange: (events: ProjectEvent[]) => void,
): void {
  const { client } = useSession();
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    if (projectId === undefined) return;
    const controller = new AbortController();
    let pending: ProjectEvent[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      callback.current(batch);
    };
    (async () => {
      try {
        for await (const event of client.watchProjectEvents(projectId, { signal: controller.signal })) {
          pending.push(event);
          frame ||= requestAnimationFrame(flush);
        }
      } catch (e) {
        if (!isClientError(e, "aborted")) console.warn("project events stopped:", e);
      }
    })();
    return () => {
      controller.abort();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [client, projectId]);
}
