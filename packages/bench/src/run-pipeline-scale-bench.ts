// Pipeline scale (issue 12): 20 runners claim and finish 2,000 builds held in one pipeline, against the
// same builds spread over pipelines of 10 (the baseline, same run, alternating rounds). Target: ≥ 0.8 of
// the baseline's builds/s. A second variant doubles each pipeline: its later stage (2,000 builds in the one
// pipeline, 5 in each of 10) stays `created` while the first stage runs, then runs too.
// Env: BENCH_SCALE_RUNNERS (20), BENCH_SCALE_BUILDS (2000), BENCH_SCALE_ROUNDS (3).
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

type Round = { spread: number; single: number; ratio: number };

/** Alternating rounds of the spread baseline and the one pipeline; the median ratio. */
async function variant(label: string, builds: number, laterStage: boolean) {
  const rounds: Round[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const spread = await measurePipelineScale(RUNNERS, builds, 10, laterStage);
    const single = await measurePipelineScale(RUNNERS, builds, builds, laterStage);
    for (const [name, r] of [
      ["pipelines of 10", spread],
      ["one pipeline", single],
    ] as const)
      if (r.finished !== builds || r.refused > 0)
        throw new Error(
          `${label}, ${name}: ${r.finished} of ${builds} builds finished, ${r.refused} refused`,
        );
    rounds.push({
      spread: spread.perSecond,
      single: single.perSecond,
      ratio: single.perSecond / spread.perSecond,
    });
    console.log(
      `${label} round ${round}: pipelines of 10 ${fmt(spread.perSecond)} builds/s (${fmt(spread.perCpuSecond)} per CPU-s), ` +
        `one pipeline ${fmt(single.perSecond)} builds/s (${fmt(single.perCpuSecond)} per CPU-s), ratio ${rounds.at(-1)!.ratio.toFixed(2)}`,
    );
  }
  const ratio = median(rounds.map((r) => r.ratio));
  console.log(
    `${label}: ${RUNNERS} runners, ${fmt(builds)} builds claimed and finished; one pipeline / pipelines of 10, median ratio ` +
      `${ratio.toFixed(2)} (target ≥ 0.8) ${ratio >= 0.8 ? "PASS" : "FAIL"}`,
  );
  return { rounds, ratio };
}

const oneStage = await variant(`pipeline scale (${fmt(BUILDS)} builds, one stage)`, BUILDS, false);
const laterStage = await variant(
  `pipeline scale (${fmt(BUILDS)} builds, then a later stage of ${fmt(BUILDS)} created)`,
  BUILDS * 2,
  true,
);
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bench-results");
mkdirSync(out, { recursive: true });
writeFileSync(
  path.join(out, "pipeline-scale.json"),
  `${JSON.stringify({ date: new Date().toISOString(), runners: RUNNERS, builds: BUILDS, oneStage, laterStage }, null, 2)}\n`,
);
