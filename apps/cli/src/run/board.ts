// The terminal view of a running pipeline: stages, jobs, status, durations and running jobs' log lines
// prefixed by job name. On a TTY a live board is redrawn below the log; elsewhere (CI logs, pipes) each
// status change is one plain line. Colour only on a TTY.

import type { BuildStatus, PipelineStatus } from "@buildsim/core";

export interface BoardJob {
  id: number;
  name: string;
  stage: string;
  status: BuildStatus;
  startedAt: string | null;
  finishedAt: string | null;
  allowFailure: boolean;
  /** Trace bytes received so far: progress while running. */
  traceBytes: number;
}

export interface BoardState {
  pipelineId: number;
  status: PipelineStatus;
  stages: string[];
  jobs: BoardJob[];
}

export interface BoardOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface BoardOptions {
  out: BoardOutput;
  /** @default out.isTTY */
  color?: boolean;
  /** @default out.isTTY: redraw a live board instead of printing status lines */
  live?: boolean;
  now?: () => number;
  /** Which executor runs a job (docker or shell, chosen per job by `--executor auto`), once known. */
  executorOf?: (jobId: number) => string | undefined;
}

const ICONS: Record<BuildStatus, string> = {
  created: "·",
  pending: "…",
  running: "▶",
  success: "✔",
  failed: "✖",
  canceled: "⊘",
  skipped: "»",
  manual: "⚙",
  scheduled: "◷",
  waiting_for_resource: "⧗",
};

const COLORS: Partial<Record<BuildStatus, number>> = {
  running: 36,
  pending: 33,
  success: 32,
  failed: 31,
  canceled: 35,
  skipped: 90,
  manual: 34,
  created: 90,
  scheduled: 34,
  waiting_for_resource: 33,
};

/** Seconds with one decimal, `—` before the job started. */
export function formatDuration(job: Pick<BoardJob, "startedAt" | "finishedAt">, nowMs: number): string {
  if (!job.startedAt) return "—";
  const end = job.finishedAt ? Date.parse(job.finishedAt) : nowMs;
  return `${((end - Date.parse(job.startedAt)) / 1000).toFixed(1)}s`;
}

export interface Board {
  /** New job/pipeline statuses. */
  update(state: BoardState): void;
  /** One line a running job printed. */
  log(jobName: string, line: string): void;
  /** Final summary; the live board is replaced by it. */
  finish(state: BoardState): void;
}

export function createBoard(options: BoardOptions): Board {
  const { out } = options;
  const color = options.color ?? Boolean(out.isTTY);
  const live = options.live ?? Boolean(out.isTTY);
  const now = options.now ?? Date.now;
  const paint = (status: BuildStatus, text: string) =>
    color && COLORS[status] ? `\x1b[${COLORS[status]}m${text}\x1b[0m` : text;
  const dim = (text: string) => (color ? `\x1b[2m${text}\x1b[0m` : text);
  const executorTag = (jobId: number) => {
    const name = options.executorOf?.(jobId);
    return name ? dim(` [${name}]`) : "";
  };

  let state: BoardState | null = null;
  let drawnLines = 0;
  const lastStatus = new Map<number, BuildStatus>();
  let nameWidth = 8;

  const boardLines = (s: BoardState): string[] => {
    const lines = [`pipeline #${s.pipelineId} ${paint(s.status, s.status)}`];
    for (const stage of s.stages) {
      const jobs = s.jobs.filter((j) => j.stage === stage);
      if (jobs.length === 0) continue;
      lines.push(`  ${stage}`);
      for (const j of jobs) {
        const progress = j.status === "running" ? dim(` ${j.traceBytes} B`) : "";
        const allowed = j.allowFailure && j.status === "failed" ? dim(" (allowed to fail)") : "";
        lines.push(
          `    ${paint(j.status, ICONS[j.status])} ${j.name.padEnd(nameWidth)} ${paint(j.status, j.status.padEnd(8))} ${formatDuration(j, now())}${progress}${allowed}${executorTag(j.id)}`,
        );
      }
    }
    return lines;
  };

  const erase = () => {
    if (live && drawnLines > 0) out.write(`\x1b[${drawnLines}A\x1b[0J`);
    drawnLines = 0;
  };
  const draw = () => {
    if (!live || !state) return;
    const lines = boardLines(state);
    out.write(`${lines.join("\n")}\n`);
    drawnLines = lines.length;
  };

  return {
    update(next) {
      state = next;
      nameWidth = Math.max(8, ...next.jobs.map((j) => j.name.length));
      if (live) {
        erase();
        draw();
        return;
      }
      for (const j of next.jobs) {
        if (lastStatus.get(j.id) === j.status) continue;
        lastStatus.set(j.id, j.status);
        if (j.status === "created") continue;
        const duration = j.finishedAt ? ` ${formatDuration(j, now())}` : "";
        out.write(
          `${j.name.padEnd(nameWidth)} ${ICONS[j.status]} ${j.status}${duration}${executorTag(j.id)}\n`,
        );
      }
    },
    log(jobName, line) {
      erase();
      out.write(`${dim(jobName.padEnd(nameWidth))} ${dim("|")} ${line}\n`);
      draw();
    },
    finish(final) {
      state = final;
      erase();
      const lines = boardLines(final);
      const counts = new Map<BuildStatus, number>();
      for (const j of final.jobs) counts.set(j.status, (counts.get(j.status) ?? 0) + 1);
      const tally = [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
      out.write(`\n${lines.join("\n")}\n\n${tally}\npipeline ${paint(final.status, final.status)}\n`);
    },
  };
}
