// Pipeline scale (issue 12): 20 runners claim and finish 2,000 builds held in one pipeline, against the
// same builds spread over pipelines of 10 (the baseline, same run, alternating rounds). Target: ≥ 0.8 of
// the baseline's builds/s. Env: BENCH_SCALE_RUNNERS (20), BENCH_SCALE_BUILDS (2000), BENCH_SCALE_ROUNDS (3).
// Results: bench-results/pipeline-scale.json.

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { env, median } from "./bench-children.js";
import { measurePipelineScale } from "./pipeline-scale-bench.js";

const RUNNERS = env("BENCH_SCALE_RUNNERS", 20);
const BUILDS = env("BENCH_SCALE_BUILDS", 2000);
const ROUNDS = env("BENCH_SCALE_ROUNDS", 3);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

const rounds: { spread: number; single: number; ratio: number }[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const spread = await measurePipelineScale(RUNNERS, BUILDS, 10);
  const single = await measurePipelineScale(RUNNERS, BUILDS, BUILDS);
  for (const [label, r] of [
    ["pipelines of 10", spread],
    ["one pipeline", single],
  ] as const)
    if (r.finished !== BUILDS || r.refused > 0)
      throw new Error(`${label}: ${r.finished} of ${BUILDS} builds finished, ${r.refused} refused`);
  rounds.push({
    spread: spread.perSecond,
    single: single.perSecond,
    ratio: single.perSecond / spread.perSecond,
  });
  console.log(
    `pipeline scale round ${round}: pipelines of 10 ${fmt(spread.perSecond)} builds/s (${fmt(spread.perCpuSecond)} per CPU-s), ` +
      `one pipeline of ${fmt(BUILDS)} ${fmt(single.perSecond)} builds/s (${fmt(single.perCpuSecond)} per CPU-s), ratio ${rounds.at(-1)!.ratio.toFixed(2)}`,
  );
}
const ratio = median(rounds.map((r) => r.ratio));
console.log(
  `pipeline scale: ${RUNNERS} runners, ${fmt(BUILDS)} builds claimed and finished; one pipeline / pipelines of 10, median ratio ` +
    `${ratio.toFixed(2)} (target ≥ 0.8) ${ratio >= 0.8 ? "PASS" : "FAIL"}`,
);
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bench-results");
mkdirSync(out, { recursive: true });
writeFileSync(
  path.join(out, "pipeline-scale.json"),
  `${JSON.stringify({ date: new Date().toISOString(), runners: RUNNERS, builds: BUILDS, rounds, ratio }, null, 2)}\n`,
);
