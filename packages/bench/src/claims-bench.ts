// The claims measurement: `runners` runners claim `builds` pending builds as fast as they can.

import { openRunner, startChild } from "./ws-bench-clients.js";
import { wsBenchRunnerToken } from "./ws-bench-seed.js";

/**
 * Every runner claims until it gets no job; resolves with the build ids handed out (doubles kept) and
 * how many claims the server answered with an error (each asked again, as a runner would). With
 * `expected`, the runners poll again while fewer builds were handed out: on PostgreSQL a claim skips
 * builds other servers' transactions hold (SKIP LOCKED), so the last few can answer "no job" to every
 * runner while a transaction that then lost a race rolls back and leaves its build pending; a real
 * runner asks again at its next poll.
 */
export async function claimUntilEmpty(
  clients: Array<Awaited<ReturnType<typeof openRunner>>>,
  expected?: number,
) {
  const got: number[] = [];
  let failed = 0;
  let polls = 0;
  const pass = () =>
    Promise.all(
      clients.map(async (c, r) => {
        for (;;) {
          const answer = await c.claim(`r${r}-${polls++}`);
          if (answer.type === "error") failed++;
          else if (answer.type !== "job") return;
          else got.push(answer.job.id);
        }
      }),
    );
  await pass();
  for (let again = 0; expected !== undefined && new Set(got).size < expected && again < 10; again++) {
    const before = got.length;
    await pass();
    if (got.length === before) break;
  }
  return { got, failed };
}

/** Claims per second and how many builds were handed out more than once. */
export async function measureClaims(runners: number, builds: number) {
  const server = await startChild("ws-bench-server-main.js", [String(runners), String(builds)]);
  const clients = await Promise.all(
    Array.from({ length: runners }, (_, i) => openRunner(server.url, wsBenchRunnerToken(i + 1))),
  );
  await server.resetCpu();
  const start = performance.now();
  const { got } = await claimUntilEmpty(clients);
  const ms = performance.now() - start;
  for (const c of clients) c.socket.terminate();
  const cpuMicros = await server.stop();
  return {
    /** Claims per second of server CPU: what one dedicated core would sustain. */
    perCpuSecond: got.length / (cpuMicros / 1e6),
    claimed: new Set(got).size,
    doubleClaims: got.length - new Set(got).size,
    ms,
    perSecond: got.length / (ms / 1000),
  };
}
