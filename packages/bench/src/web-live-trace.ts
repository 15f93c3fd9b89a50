// An opt-in diagnostic for the live run (BENCH_WEB_TRACE=1): a Chromium trace of the page while the job
// prints, and for each main-thread task over 50 ms its wall time against its CPU time and what it did.
// A task far longer than its CPU time waited for the machine (or a synchronous call), not for its own work.

import type { CDPSession, Page } from "playwright-core";

/** One long task as the trace saw it; phases are CPU ms of the renderer's own steps inside it. */
export interface TracedTask {
  wallMs: number;
  cpuMs: number;
  phases: Record<string, number>;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

const CATEGORIES = "toplevel,devtools.timeline,disabled-by-default-v8.gc";
const PHASES = [
  "FireAnimationFrame",
  "FunctionCall",
  "UpdateLayoutTree",
  "Layout",
  "PrePaint",
  "MinorGC",
  "MajorGC",
];
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Starts tracing `page`; the returned function stops and answers the long tasks. */
export async function traceLongTasks(page: Page): Promise<() => Promise<TracedTask[]>> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on("Tracing.dataCollected", (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send("Tracing.start", { categories: CATEGORIES, transferMode: "ReportEvents" });
  return async () => {
    const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
    await cdp.send("Tracing.end");
    await complete;
    await cdp.detach();
    return longTasksOf(events);
  };
}

function longTasksOf(events: TraceEvent[]): TracedTask[] {
  const main = new Set(
    events
      .filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain")
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = events.filter((e) => e.ph === "X" && main.has(`${e.pid}:${e.tid}`));
  const tasks = onMain.filter((e) => e.name === "ThreadControllerImpl::RunTask" && (e.dur ?? 0) > 50_000);
  return tasks.map((task) => {
    const phases: Record<string, number> = {};
    for (const e of onMain) {
      const inside =
        e.pid === task.pid && e.tid === task.tid && e.ts >= task.ts && e.ts < task.ts + task.dur!;
      if (inside && PHASES.includes(e.name))
        phases[e.name] = round1((phases[e.name] ?? 0) + (e.tdur ?? 0) / 1000);
    }
    return { wallMs: round1(task.dur! / 1000), cpuMs: round1((task.tdur ?? 0) / 1000), phases };
  });
}

/** "73 ms (6.8 ms on the CPU: Layout 2.3, …)" */
export function describeTask(task: TracedTask): string {
  const phases = Object.entries(task.phases)
    .map(([name, ms]) => `${name} ${ms}`)
    .join(", ");
  return `${Math.round(task.wallMs)} ms (${task.cpuMs} ms on the CPU${phases ? `: ${phases}` : ""})`;
}
