// The pipeline-scale measurement (issue 12): `runners` runners claim and finish `builds` builds, all in
// one pipeline or spread over pipelines of 10. Every finish recomputes the build's pipeline, so the ratio
// of the two shows whether that work grows with the pipeline's size. With `laterStage`, the second half of
// each pipeline is a later stage, `created` while the first half runs: every finish then processes a
// pipeline holding that many created builds, and runners long-poll until the later stage is queued. As
// a `dag`, each pipeline's second half is that later stage too, but each of its jobs `needs` one job of
// the first half (1,000 + 1,000 in the one pipeline): a finish makes just that job runnable.

import { openRunner, startChild } from "./ws-bench-clients.js";
import { wsBenchRunnerToken } from "./ws-bench-seed.js";

/** The pipelines: one stage, a created later stage, or a later stage whose jobs each `need` one job. */
export type PipelineShape = "one-stage" | "later-stage" | "dag";

/** Builds claimed and finished per second, and whether each build was finished exactly once. */
export async function measurePipelineScale(
  runners: number,
  builds: number,
  perPipeline: number,
  shape: PipelineShape = "one-stage",
) {
  const server = await startChild("ws-bench-server-main.js", [
    String(runners),
    String(builds),
    String(perPipeline),
    shape === "dag" ? "dag" : shape === "later-stage" ? "1" : "0",
  ]);
  const clients = await Promise.all(
    Array.from({ length: runners }, (_, i) => openRunner(server.url, wsBenchRunnerToken(i + 1))),
  );
  const finished: number[] = [];
  let refused = 0;
  await server.resetCpu();
  const start = performance.now();
  let end = 0;
  // A later stage (or a job's needs) is queued only once what it waits on has finished: runners wait for
  // it (long poll) until every build is done, and the time stops at the last finish, not when the idle
  // claims time out.
  const waitMs = shape === "one-stage" ? 0 : 500;
  await Promise.all(
    clients.map(async (c, r) => {
      for (let n = 0; finished.length + refused < builds; n++) {
        const answer = await c.claim(`r${r}-${n}`, waitMs);
        if (answer.type !== "job") {
          if (waitMs === 0) return;
          continue;
        }
        const ack = await c.finish(answer.job.id);
        if (ack.type === "finishAck" && ack.status === "success") finished.push(answer.job.id);
        else refused++;
        if (finished.length + refused >= builds) end = performance.now();
      }
    }),
  );
  const ms = (end || performance.now()) - start;
  for (const c of clients) c.socket.terminate();
  const cpuMicros = await server.stop();
  return {
    finished: new Set(finished).size,
    refused,
    ms,
    perSecond: finished.length / (ms / 1000),
    /** Builds per second of server CPU: what one dedicated core would sustain. */
    perCpuSecond: finished.length / (cpuMicros / 1e6),
  };
}
