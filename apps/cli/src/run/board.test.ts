import { describe, expect, it } from "vitest";
import { type BoardState, createBoard } from "./board.js";

function capture(isTTY: boolean) {
  let text = "";
  return { out: { write: (s: string) => (text += s), isTTY }, text: () => text };
}

const state = (status: "running" | "success", jobs: BoardState["jobs"]): BoardState => ({
  pipelineId: 3,
  status,
  stages: ["build", "test"],
  jobs,
});
const job = (
  id: number,
  name: string,
  stage: string,
  status: BoardState["jobs"][number]["status"],
  extra = {},
) => ({
  id,
  name,
  stage,
  status,
  startedAt: null,
  finishedAt: null,
  allowFailure: false,
  traceBytes: 0,
  ...extra,
});

describe("the pipeline board", () => {
  it("prints one plain line per status change and prefixes log lines with the job name off a TTY", () => {
    const c = capture(false);
    const board = createBoard({ out: c.out, now: () => Date.parse("2026-01-01T00:00:02.000Z") });
    board.update(
      state("running", [job(1, "compile", "build", "running"), job(2, "unit", "test", "created")]),
    );
    board.update(
      state("running", [job(1, "compile", "build", "running"), job(2, "unit", "test", "created")]),
    );
    board.log("compile", "hello");
    board.update(
      state("running", [
        job(1, "compile", "build", "success", {
          startedAt: "2026-01-01T00:00:00.000Z",
          finishedAt: "2026-01-01T00:00:01.500Z",
        }),
        job(2, "unit", "test", "pending"),
      ]),
    );
    expect(c.text()).toBe(
      "compile  ◑ running\ncompile  | hello\ncompile  ✔ success 1.5s\nunit     ◔ pending\n",
    );
    expect(c.text()).not.toContain("\x1b[");
  });

  it("redraws a coloured live board on a TTY and ends with a summary", () => {
    const c = capture(true);
    const board = createBoard({ out: c.out, now: () => 0 });
    board.update(state("running", [job(1, "compile", "build", "running")]));
    board.log("compile", "line");
    board.finish(state("success", [job(1, "compile", "build", "success")]));
    expect(c.text()).toContain("\x1b[32m");
    expect(c.text()).toContain("\x1b[0J");
    expect(c.text()).toMatch(/1 success\npipeline .*success.* in 0ms\n$/);
  });

  it("prints durations under a second in milliseconds and the trace size in bytes as GitLab does", () => {
    const c = capture(true);
    const board = createBoard({
      out: c.out,
      color: false,
      now: () => Date.parse("2026-01-01T00:00:00.340Z"),
    });
    board.update(
      state("running", [
        job(1, "compile", "build", "running", { startedAt: "2026-01-01T00:00:00.000Z", traceBytes: 1536 }),
      ]),
    );
    expect(c.text()).toContain("◑ compile  running  340ms 1.5 KiB");
  });

  // GitLab shows a failed job with allow_failure as an orange warning
  // (https://docs.gitlab.com/ee/ci/yaml/#allow_failure: "a warning"), not a red failure.
  it("shows an allowed failure as an orange warning, not a red cross", () => {
    const c = capture(true);
    const board = createBoard({ out: c.out, now: () => 0 });
    board.finish(state("success", [job(1, "flaky", "test", "failed", { allowFailure: true })]));
    expect(c.text()).toContain("\x1b[38;5;208m⚠\x1b[0m flaky");
    expect(c.text()).not.toContain("✖");
  });

  it("ends with how to play the manual jobs and the pipeline's total duration", () => {
    const c = capture(false);
    let t = 1_000;
    const board = createBoard({ out: c.out, now: () => t });
    t = 3_500;
    board.finish(state("success", [job(1, "deploy", "test", "manual", { when: "manual" })]));
    expect(c.text()).toContain("manual: deploy waiting to be played; run again with --manual deploy\n");
    expect(c.text()).toMatch(/pipeline success in 2\.5s\n$/);
  });

  it("counts a delayed job down to its start", () => {
    const c = capture(false);
    const board = createBoard({ out: c.out, now: () => Date.parse("2026-01-01T00:00:00.000Z") });
    board.update(
      state("running", [job(1, "later", "test", "scheduled", { scheduledAt: "2026-01-01T00:00:30.000Z" })]),
    );
    expect(c.text()).toBe("later    ◷ scheduled (starts in 30.0s)\n");
  });
});
