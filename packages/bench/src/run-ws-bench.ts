// The WebSocket benchmarks (issue 5), each server in its own process:
//
// (a) fan-out: one running build streams 1 KiB trace lines (one runner message each) through buildsim to
//     10 watchers, against a bare `ws` server relaying the same messages to 10 clients, alternating
//     rounds; target ≥ 0.7 of bare's delivered lines/s. Both servers ack every message. Sender modes:
//     `runner` sends like the real runner (one message in flight, carrying the lines written meanwhile,
//     up to 64 KiB); `1` sends one line per message and waits for each ack (the worst case: a commit
//     per line); `64` keeps 64 one-line messages in flight (buildsim stores several per commit). Lines,
//     not frames, are counted. Then runner→watcher latency at 1,000 lines/s, counted after a 1 s warm-up:
//     target p99 < 10 ms.
// (b) claims: 20 runners claim 10,000 pending builds: zero double claims, target ≥ 2,000 claims/s.
//
// Env: BENCH_WS_LINES (20000), BENCH_WS_MODES (runner,1,64), BENCH_WS_WATCHERS (10), BENCH_WS_ROUNDS (3), BENCH_WS_LATENCY_S (3),
//      BENCH_CLAIM_RUNNERS (20), BENCH_CLAIM_BUILDS (10000).

import { measureClaims } from "./claims-bench.js";
import { measureFanout, measureLatency, RUNNER_LIKE } from "./fanout-bench.js";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const LINES = env("BENCH_WS_LINES", 20_000);
const WATCHERS = env("BENCH_WS_WATCHERS", 10);
const ROUNDS = env("BENCH_WS_ROUNDS", 3);
/** Sender modes: `runner` (one message in flight, lines coalesced as the runner does), or a window size. */
const MODES = (process.env.BENCH_WS_MODES ?? "runner,1,64").split(",");
const LATENCY_S = env("BENCH_WS_LATENCY_S", 3);
const RUNNERS = env("BENCH_CLAIM_RUNNERS", 20);
const BUILDS = env("BENCH_CLAIM_BUILDS", 10_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

for (const mode of MODES) {
  const window = mode === "runner" ? RUNNER_LIKE : Number(mode);
  const label = mode === "runner" ? "runner-like sender" : `window ${window}`;
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const bare = await measureFanout("bare", LINES, WATCHERS, window);
    const ours = await measureFanout("buildsim", LINES, WATCHERS, window);
    ratios.push(ours.perSecond / bare.perSecond);
    cpuRatios.push(ours.perCpuSecond / bare.perCpuSecond);
    console.log(
      `fan-out (${label}) round ${round}: bare ${fmt(bare.perSecond)} lines/s (${fmt(bare.perCpuSecond)} per CPU-s), ` +
        `buildsim ${fmt(ours.perSecond)} lines/s (${fmt(ours.perCpuSecond)} per CPU-s, ${ours.linesPerFrame.toFixed(1)} lines per frame), ` +
        `ratio ${(ours.perSecond / bare.perSecond).toFixed(2)}`,
    );
  }
  const ratio = median(ratios);
  console.log(
    `fan-out (${label}): median ratio ${ratio.toFixed(2)} wall-clock, ${median(cpuRatios).toFixed(2)} per server CPU-second ` +
      `(target ≥ 0.70) ${ratio >= 0.7 ? "PASS" : "FAIL"}`,
  );
}

const latency = await measureLatency(LATENCY_S, WATCHERS);
console.log(
  `latency at 1,000 lines/s to ${WATCHERS} watchers (after a 1 s warm-up): p50 ${latency.p50Ms.toFixed(2)} ms, p99 ${latency.p99Ms.toFixed(2)} ms, ` +
    `max ${latency.maxMs.toFixed(2)} ms over ${fmt(latency.samples)} deliveries (target p99 < 10 ms) ${latency.p99Ms < 10 ? "PASS" : "FAIL"}`,
);

const claims = await measureClaims(RUNNERS, BUILDS);
console.log(
  `claims: ${RUNNERS} runners, ${fmt(claims.claimed)} of ${fmt(BUILDS)} builds claimed in ${claims.ms.toFixed(0)} ms = ` +
    `${fmt(claims.perSecond)} claims/s (${fmt(claims.perCpuSecond)} per server CPU-second), ${claims.doubleClaims} double claims (target ≥ 2,000/s, 0 doubles) ` +
    `${claims.perSecond >= 2000 && claims.doubleClaims === 0 && claims.claimed === BUILDS ? "PASS" : "FAIL"}`,
);
