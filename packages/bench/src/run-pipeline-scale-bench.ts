// Pipeline scale (issue 12): 20 runners claim and finish 2,000 builds held in one pipeline, against the
// same builds spread over pipelines of 10 (the baseline, same run, alternating rounds). Target: ≥ 0.8 of
// the baseline's builds/s. A second variant doubles each pipeline: its later stage (2,000 builds in the one
// pipeline, 5 in each of 10) stays `created` while the first stage runs, then runs too. A third makes the
// same builds a DAG: half of each pipeline (1,000 in the one, 5 in each of 10) `needs` one job of the
// other half, so each finish queues one waiting job.
// Env: BENCH_SCALE_RUNNERS (20), BENCH_SCALE_BUILDS (2000), BENCH_SCALE_ROUNDS (3),
// BENCH_SCALE_VARIANTS (`one-stage,later-stage,dag`: the variants to run).
// Results: bench-results/pipeline-scale.json.

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { env, median } from "./bench-children.js";
import { measurePipelineScale, type PipelineShape } from "./pipeline-scale-bench.js";

const RUNNERS = env("BENCH_SCALE_RUNNERS", 20);
const BUILDS = env("BENCH_SCALE_BUILDS", 2000);
const ROUNDS = env("BENCH_SCALE_ROUNDS", 3);
const VARIANTS = (process.env.BENCH_SCALE_VARIANTS ?? "one-stage,later-stage,dag").split(",");
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

type Round = { spread: number; single: number; ratio: number };

/** Alternating rounds of the spread baseline and the one pipeline; the median ratio. */
async function variant(label: string, builds: number, shape: PipelineShape) {
  const rounds: Round[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const spread = await measurePipelineScale(RUNNERS, builds, 10, shape);
    const single = await measurePipelineScale(RUNNERS, builds, builds, shape);
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

const runs = (shape: PipelineShape) => VARIANTS.includes(shape);
const oneStage = runs("one-stage")
  ? await variant(`pipeline scale (${fmt(BUILDS)} builds, one stage)`, BUILDS, "one-stage")
  : null;
const laterStage = runs("later-stage")
  ? await variant(
      `pipeline scale (${fmt(BUILDS)} builds, then a later stage of ${fmt(BUILDS)} created)`,
      BUILDS * 2,
      "later-stage",
    )
  : null;
const dag = runs("dag")
  ? await variant(
      `pipeline scale (${fmt(BUILDS)} builds as a DAG: ${fmt(BUILDS / 2)}, and ${fmt(BUILDS / 2)} each needing one)`,
      BUILDS,
      "dag",
    )
  : null;
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bench-results");
mkdirSync(out, { recursive: true });
writeFileSync(
  path.join(out, "pipeline-scale.json"),
  `${JSON.stringify({ date: new Date().toISOString(), runners: RUNNERS, builds: BUILDS, oneStage, laterStage, dag }, null, 2)}\n`,
);
