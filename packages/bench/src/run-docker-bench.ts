// The container benchmark, in two parts, same machine, same local images (never pulled):
// 1. A 6-job pipeline (3 stages; one job with a service, artifacts passed along, a cache written and read):
//    `buildsim run --executor docker` wall time ÷ gitlab-ci-local 4.75.1's docker executor, alternating
//    rounds, identical job outcomes required. Target ≤ 0.5. gitlab-ci-local needs `--helper-image` offline:
//    a Debian minbase with rsync (made here with debootstrap, once, kept as a local image).
// 2. Container job overhead: from the docker executor's start of a job to its first script line, p50 and
//    p99, against the floor of a bare `docker run --rm IMG true`.
// Env: BENCH_ROUNDS (5), BENCH_OVERHEAD_ROUNDS (30).

import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import type { JobPayload } from "@buildsim/core";
import { createDockerExecutor } from "@buildsim/runner";
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
const OVERHEAD_ROUNDS = Number(process.env.BENCH_OVERHEAD_ROUNDS ?? 30);
const TARGET_RATIO = 0.5;
const IMAGE = "buildsim-bench/busybox:1";
const HELPER_IMAGE = "buildsim-bench/gcl-helper:1";

const imageExists = (name: string) =>
  spawnSync("docker", ["image", "inspect", name], { stdio: "ignore" }).status === 0;

/** busybox-static's files as an image (Debian's package; `apt-get install busybox-static`). */
function ensureBusyboxImage(): void {
  if (imageExists(IMAGE)) return;
  const root = mkdtempSync(path.join(os.tmpdir(), "buildsim-bench-image-"));
  for (const dir of ["bin", "tmp", "etc"]) mkdirSync(path.join(root, dir));
  copyFileSync("/bin/busybox", path.join(root, "bin/busybox"));
  for (const applet of execFileSync("/bin/busybox", ["--list"], { encoding: "utf8" }).split("\n"))
    if (applet && applet !== "busybox") symlinkSync("busybox", path.join(root, "bin", applet));
  writeFileSync(path.join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
  execFileSync("sh", [
    "-c",
    `tar -C "${root}" -c ${readdirSync(root).join(" ")} | docker import -c 'CMD ["/bin/sh"]' - ${IMAGE}`,
  ]);
  rmSync(root, { recursive: true, force: true });
}

/** gitlab-ci-local's helper offline: a Debian minbase with rsync (debootstrap, about a minute, once). */
function ensureHelperImage(): void {
  if (imageExists(HELPER_IMAGE)) return;
  const root = mkdtempSync(path.join(os.tmpdir(), "buildsim-bench-helper-"));
  console.log(`building ${HELPER_IMAGE} with debootstrap (minbase + rsync)`);
  execFileSync(
    "debootstrap",
    ["--variant=minbase", "--include=rsync", "bookworm", root, "http://deb.debian.org/debian"],
    {
      stdio: "ignore",
    },
  );
  execFileSync("sh", [
    "-c",
    `tar -C "${root}" -c . | docker import -c 'CMD ["/bin/bash"]' - ${HELPER_IMAGE}`,
  ]);
  rmSync(root, { recursive: true, force: true });
}

const PIPELINE = `stages: [build, test, deploy]
compile:
  stage: build
  image: ${IMAGE}
  cache: { key: bench, paths: [deps/] }
  script:
    - mkdir -p out deps
    - echo built > out/app.txt
    - echo dependency > deps/lib.txt
  artifacts: { paths: [out/] }
lint:
  stage: build
  image: ${IMAGE}
  script: [echo lint ok]
unit:
  stage: test
  image: ${IMAGE}
  cache: { key: bench, paths: [deps/], policy: pull }
  script: [cat out/app.txt, cat deps/lib.txt]
integration:
  stage: test
  image: ${IMAGE}
  services:
    - name: ${IMAGE}
      alias: web
      command: ["sh", "-c", "echo served > /tmp/index.html && exec httpd -f -p 80 -h /tmp"]
  script:
    - for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do wget -q -O - http://web/ && break; sleep 0.1; done
package:
  stage: deploy
  image: ${IMAGE}
  script: [cp out/app.txt out/pkg.txt]
  artifacts: { paths: [out/pkg.txt] }
report:
  stage: deploy
  image: ${IMAGE}
  script: [cat out/app.txt]
`;

function makeRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "buildsim-docker-bench-"));
  writeFileSync(path.join(dir, ".gitlab-ci.yml"), PIPELINE);
  writeFileSync(path.join(dir, "README.md"), "bench project\n");
  const git = (...args: string[]) =>
    spawnSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", ...args], { cwd: dir });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-qm", "bench");
  return dir;
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

function pipelineBench() {
  const gcl = ensureGitlabCiLocal();
  const cli = path.join(repoRoot, "apps", "cli", "dist", "buildsim.mjs");
  const repo = makeRepo();
  const gclTimes: number[] = [];
  const buildsimTimes: number[] = [];
  let gclLast = new Map<string, Outcome>();
  let buildsimLast = new Map<string, Outcome>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      rmSync(path.join(repo, ".gitlab-ci-local"), { recursive: true, force: true });
      const g = timed(gcl.node, [gcl.script, "--no-color", "--helper-image", HELPER_IMAGE], repo);
      gclTimes.push(g.ms);
      gclLast = gclOutcomes(g.out);
      if (gclLast.size === 0) throw new Error(`gitlab-ci-local printed no summary:\n${g.out}`);
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-docker-bench-data-"));
      const b = timed(
        process.execPath,
        [cli, "run", "--data", dataDir, "--executor", "docker", "--concurrent", "6"],
        repo,
      );
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
  return {
    rounds: ROUNDS,
    gitlabCiLocalMedianMs: Math.round(median(gclTimes)),
    buildsimMedianMs: Math.round(median(buildsimTimes)),
    ratio: Number(ratio.toFixed(3)),
    target: `≤ ${TARGET_RATIO}`,
    meetsTarget: ratio <= TARGET_RATIO,
    jobs: Object.fromEntries(buildsimLast),
    outcomeMismatches: mismatches.map((job) => ({
      job,
      gitlabCiLocal: gclLast.get(job),
      buildsim: buildsimLast.get(job),
    })),
  };
}

/** A one-line job in the bench image. */
function overheadJob(id: number): JobPayload {
  return {
    id,
    token: `bench-${id}`,
    name: "overhead",
    stage: "test",
    projectId: 1,
    projectPath: "bench/overhead",
    ref: "main",
    refType: "branch",
    sha: "0".repeat(40),
    beforeSha: null,
    timeoutS: 600,
    steps: [
      {
        name: "script",
        script: ["echo first-line-marker"],
        timeoutS: 600,
        when: "on_success",
        allowFailure: false,
      },
    ],
    variables: [],
    artifacts: null,
    dependencies: [],
    allowFailureExitCodes: [],
    image: { name: IMAGE },
    services: [],
    cache: [],
    sourceDir: null,
  };
}

/** Time from `executor.run` to the trace chunk holding the first script line's output. */
async function overheadBench() {
  const executor = createDockerExecutor({
    runnerName: "bench",
    runnerVersion: "0",
    serverUrl: "http://127.0.0.1:9",
    runnerKey: "benchoverhead",
  });
  const jobMs: number[] = [];
  for (let i = 0; i < OVERHEAD_ROUNDS; i++) {
    const job = overheadJob(900_000 + i);
    const started = performance.now();
    let firstLineMs = -1;
    let seen = "";
    await executor.run({
      job,
      signal: new AbortController().signal,
      trace: (data) => {
        if (firstLineMs >= 0) return;
        seen += String(data);
        if (seen.includes("\nfirst-line-marker")) firstLineMs = performance.now() - started;
      },
    });
    if (firstLineMs < 0) throw new Error(`the job printed no first line:\n${seen}`);
    jobMs.push(firstLineMs);
  }
  const bareMs: number[] = [];
  for (let i = 0; i < OVERHEAD_ROUNDS; i++) {
    const started = performance.now();
    execFileSync("docker", ["run", "--rm", IMAGE, "true"]);
    bareMs.push(performance.now() - started);
  }
  return {
    rounds: OVERHEAD_ROUNDS,
    jobStartToFirstLine: {
      p50Ms: Math.round(percentile(jobMs, 50)),
      p99Ms: Math.round(percentile(jobMs, 99)),
    },
    bareDockerRunTrue: {
      p50Ms: Math.round(percentile(bareMs, 50)),
      p99Ms: Math.round(percentile(bareMs, 99)),
    },
  };
}

async function main(): Promise<void> {
  if (spawnSync("docker", ["info"], { stdio: "ignore" }).status !== 0) {
    console.error(
      "the docker benchmark needs a running Docker daemon (apt-get install docker.io; dockerd &)",
    );
    process.exit(1);
  }
  ensureBusyboxImage();
  ensureHelperImage();
  const overhead = await overheadBench();
  console.log(JSON.stringify({ overhead }, null, 2));
  const pipeline = pipelineBench();
  const result = { benchmark: "docker", pipeline, overhead };
  mkdirSync(path.join(repoRoot, "packages", "bench", "bench-results"), { recursive: true });
  writeFileSync(
    path.join(repoRoot, "packages", "bench", "bench-results", "docker.json"),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  console.log(JSON.stringify(result, null, 2));
  if (pipeline.outcomeMismatches.length > 0) process.exitCode = 1;
}

await main();
