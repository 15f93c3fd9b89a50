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
  /** When a delayed (`when: delayed`) job starts, while it is `scheduled`. */
  scheduledAt?: string | null;
  /** The job's `when`: `manual` jobs get a hint on how to play them. */
  when?: string;
  /** A trigger job's downstream pipeline, once created (its jobs are named `<trigger job> > <job>`). */
  downstream?: BoardState;
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

// GitLab's status icons (status_success, status_failed, status_running…), in characters a terminal has.
const ICONS: Record<BuildStatus, string> = {
  created: "○",
  pending: "◔",
  running: "◑",
  success: "✔",
  failed: "✖",
  canceled: "⊘",
  skipped: "»",
  manual: "⚙",
  scheduled: "◷",
  waiting_for_resource: "⧗",
};

// GitLab's status colours: green success, red failure, blue running, orange pending/waiting, grey the rest.
const ORANGE = "38;5;208";
const COLORS: Partial<Record<BuildStatus, string>> = {
  running: "34",
  pending: ORANGE,
  success: "32",
  failed: "31",
  canceled: "90",
  skipped: "90",
  manual: "90",
  created: "90",
  scheduled: "34",
  waiting_for_resource: ORANGE,
};

/** A failure the job was allowed: GitLab shows it as an orange warning, not a red cross. */
const isWarning = (job: Pick<BoardJob, "status" | "allowFailure">) =>
  job.status === "failed" && job.allowFailure;

/** Milliseconds under a second (`340ms`), else seconds with one decimal (`1.2s`), or minutes (`2m 05s`). */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}

/** The job's duration so far, `—` before it started. */
export function formatDuration(job: Pick<BoardJob, "startedAt" | "finishedAt">, nowMs: number): string {
  if (!job.startedAt) return "—";
  const end = job.finishedAt ? Date.parse(job.finishedAt) : nowMs;
  return formatMs(end - Date.parse(job.startedAt));
}

/** A byte count as GitLab's job page shows a trace's size: `512 B`, `1.5 KiB`, `2.0 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export interface Board {
  /** New job/pipeline statuses. */
  update(state: BoardState): void;
  /** One line a running job printed. */
  log(jobName: string, line: string): void;
  /** Final summary; the live board is replaced by it. */
  finish(state: BoardState): void;
  /** Redraws the live board (a running job's duration, a delayed job's countdown); nothing off a TTY. */
  tick(): void;
}

export function createBoard(options: BoardOptions): Board {
  const { out } = options;
  const color = options.color ?? Boolean(out.isTTY);
  const live = options.live ?? Boolean(out.isTTY);
  const now = options.now ?? Date.now;
  const paint = (status: BuildStatus, text: string, warning = false) => {
    const code = warning ? ORANGE : COLORS[status];
    return color && code ? `\x1b[${code}m${text}\x1b[0m` : text;
  };
  const startedMs = now();
  const dim = (text: string) => (color ? `\x1b[2m${text}\x1b[0m` : text);
  const executorTag = (jobId: number) => {
    const name = options.executorOf?.(jobId);
    return name ? dim(` [${name}]`) : "";
  };

  let state: BoardState | null = null;
  let drawnLines = 0;
  const lastStatus = new Map<number, BuildStatus>();
  let nameWidth = 8;

  /** Every job of `s`, its downstream pipelines' jobs after their trigger job. */
  const flatJobs = (s: BoardState): BoardJob[] =>
    s.jobs.flatMap((j) => [j, ...(j.downstream ? flatJobs(j.downstream) : [])]);
  const boardLines = (s: BoardState, indent = ""): string[] => {
    const lines = [`${indent}${indent ? "↳ " : ""}pipeline #${s.pipelineId} ${paint(s.status, s.status)}`];
    for (const stage of s.stages) {
      const jobs = s.jobs.filter((j) => j.stage === stage);
      if (jobs.length === 0) continue;
      lines.push(`${indent}  ${stage}`);
      for (const j of jobs) {
        const warn = isWarning(j);
        const progress = j.status === "running" ? dim(` ${formatBytes(j.traceBytes)}`) : "";
        const allowed = warn ? paint(j.status, " (allowed to fail)", true) : "";
        const countdown =
          j.status === "scheduled" && j.scheduledAt
            ? dim(` starts in ${formatMs(Date.parse(j.scheduledAt) - now())}`)
            : "";
        const icon = warn ? "⚠" : ICONS[j.status];
        lines.push(
          `${indent}    ${paint(j.status, icon, warn)} ${j.name.padEnd(nameWidth)} ${paint(j.status, j.status.padEnd(8), warn)} ${formatDuration(j, now())}${progress}${countdown}${allowed}${executorTag(j.id)}`,
        );
        if (j.downstream) lines.push(...boardLines(j.downstream, `${indent}      `));
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
      nameWidth = Math.max(8, ...flatJobs(next).map((j) => j.name.length));
      if (live) {
        erase();
        draw();
        return;
      }
      for (const j of flatJobs(next)) {
        if (lastStatus.get(j.id) === j.status) continue;
        lastStatus.set(j.id, j.status);
        if (j.status === "created") continue;
        const duration = j.finishedAt ? ` ${formatDuration(j, now())}` : "";
        const icon = isWarning(j) ? "⚠" : ICONS[j.status];
        const allowed = isWarning(j) ? " (allowed to fail)" : "";
        const countdown =
          j.status === "scheduled" && j.scheduledAt
            ? ` (starts in ${formatMs(Date.parse(j.scheduledAt) - now())})`
            : "";
        out.write(
          `${j.name.padEnd(nameWidth)} ${icon} ${j.status}${duration}${countdown}${allowed}${executorTag(j.id)}\n`,
        );
      }
    },
    tick() {
      if (!live || !state) return;
      erase();
      draw();
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
      for (const j of flatJobs(final)) counts.set(j.status, (counts.get(j.status) ?? 0) + 1);
      const tally = [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
      const manual = flatJobs(final)
        .filter((j) => j.status === "manual")
        .map((j) => j.name);
      // GitLab plays a manual job from its page; here that is --manual on the next run.
      const hint =
        manual.length > 0
          ? `${dim(`manual: ${manual.join(", ")} waiting to be played; run again with ${manual.map((n) => `--manual ${n.includes(" ") ? `"${n}"` : n}`).join(" ")}`)}\n`
          : "";
      out.write(
        `\n${lines.join("\n")}\n\n${tally}\n${hint}pipeline ${paint(final.status, final.status)} in ${formatMs(now() - startedMs)}\n`,
      );
    },
  };
}
