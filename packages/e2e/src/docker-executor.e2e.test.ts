// The docker executor end to end: `buildsim run` processes against a real dockerd, with images built from
// Debian packages (test-support/test-images.ts) — never pulled. After each test no container, network or
// job process is left (`docker ps -a`, `docker network ls`, `ps`).
// GitLab Runner's docker executor: https://docs.gitlab.com/runner/executors/docker/

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createBuildsimRuns,
  exitOf,
  leftovers,
  processesMatching,
  until,
} from "./test-support/buildsim-runs.js";
import { BASH_IMAGE, BUSYBOX_IMAGE, ensureTestImages } from "./test-support/test-images.js";

const work = mkdtempSync(path.join(os.tmpdir(), "buildsim-docker-e2e-"));
const runs = createBuildsimRuns(work);
const { project, start } = runs;

beforeAll(() => ensureTestImages(), 120_000);
afterEach(() => runs.killAll());
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the docker executor", { timeout: 120_000 }, () => {
  it("runs an image without bash with sh, and one with bash with bash, at /builds/<namespace>/<project>", async () => {
    const run = start(
      project(`sh-job:
  image: ${BUSYBOX_IMAGE}
  script:
    - echo "shell=\${BASH_VERSION:-none} dir=$CI_PROJECT_DIR builds=$CI_BUILDS_DIR pwd=$(pwd)"
bash-job:
  image: ${BASH_IMAGE}
  script:
    - echo "bash=\${BASH_VERSION:+yes}"
  after_script:
    - echo "after status=$CI_JOB_STATUS"
`),
    );
    expect(await run.exit).toBe(0);
    const name = runs.lastName();
    expect(run.output).toContain(
      `shell=none dir=/builds/local/${name} builds=/builds pwd=/builds/local/${name}`,
    );
    expect(run.output).toContain("bash=yes");
    expect(run.output).toContain("after status=success");
    expect(leftovers()).toEqual({ containers: "", networks: "" });
  });

  // GitLab runs after_script in a new shell in the job's build container: `cd`, variables and functions of
  // the script are gone, but what the script wrote outside the project directory is still there.
  // https://docs.gitlab.com/ci/yaml/#after_script ; https://docs.gitlab.com/runner/executors/docker/
  it("runs after_script in a new shell of the same container, where the script's files outside the project remain", async () => {
    const run = start(
      project(`job:
  image: ${BUSYBOX_IMAGE}
  script:
    - echo written-by-script > /tmp/outside-project.txt
    - export ONLY_IN_SCRIPT=yes
    - cd /tmp
  after_script:
    - echo "after sees $(cat /tmp/outside-project.txt) var=\${ONLY_IN_SCRIPT:-unset} pwd=$(pwd) status=$CI_JOB_STATUS"
`),
    );
    expect(await run.exit).toBe(0);
    expect(run.output).toContain(
      `after sees written-by-script var=unset pwd=/builds/local/${runs.lastName()} status=success`,
    );
    expect(leftovers()).toEqual({ containers: "", networks: "" });
  });

  it("reaches a service by its default aliases and by each alias: entry", async () => {
    const run = start(
      project(`web:
  image: ${BUSYBOX_IMAGE}
  services:
    - name: ${BUSYBOX_IMAGE}
      alias: web,www
      command: ["sh", "-c", "mkdir -p /w && echo served > /w/index.html && exec httpd -f -p 80 -h /w"]
  script:
    - for host in buildsim-test__busybox buildsim-test-busybox web www; do echo "$host says $(wget -q -O - http://$host/)"; done
`),
    );
    expect(await run.exit).toBe(0);
    for (const host of ["buildsim-test__busybox", "buildsim-test-busybox", "web", "www"])
      expect(run.output).toContain(`${host} says served`);
    expect(leftovers()).toEqual({ containers: "", networks: "" });
  });

  // Caches are per project, shared across pipelines; GitLab keeps protected and unprotected refs' caches
  // apart with a `-protected` / `-non_protected` key suffix (app/models/ci/build.rb `cache`), and the
  // default branch is protected. https://docs.gitlab.com/ci/caching/
  it("keeps a cache one pipeline writes for the next pipeline of the project, apart from unprotected refs", async () => {
    const data = path.join(work, "shared-data");
    const yaml = (line: string) => `job:
  image: ${BUSYBOX_IMAGE}
  cache:
    key: deps
    paths: [vendor/]
  script:
    - ${line}
`;
    // Outside a git repository the ref is main, the default branch: protected.
    const first = start(project(yaml("mkdir -p vendor && echo cached-once > vendor/lib.txt"), data));
    expect(await first.exit).toBe(0);
    expect(first.output).toContain("Creating cache deps-protected...");
    expect(first.output).toContain("Created cache");
    // The same project (same directory name → same local/<name> path) runs again on the same data dir.
    const dir = path.join(work, runs.lastName());
    writeFileSync(path.join(dir, ".gitlab-ci.yml"), yaml("cat vendor/lib.txt"));
    const second = start({ dir, data });
    expect(await second.exit).toBe(0);
    expect(second.output).toContain("Checking cache for deps-protected...");
    expect(second.output).toContain("Successfully extracted cache");
    expect(second.output).toContain("cached-once");
    // An unprotected ref looks for its own cache and does not get the protected one.
    writeFileSync(
      path.join(dir, ".gitlab-ci.yml"),
      yaml("test ! -e vendor/lib.txt && echo no-protected-cache"),
    );
    const third = start({ dir, data }, "docker", ["--ref", "feature"]);
    expect(await third.exit).toBe(0);
    expect(third.output).toContain("Checking cache for deps-non_protected...");
    expect(third.output).toContain("Failed to extract cache: deps-non_protected not found");
    expect(third.output).toContain("no-protected-cache");
  });

  it("fails a job whose image is missing under pull_policy: never as a system failure, at once", async () => {
    const started = Date.now();
    const run = start(
      project(`job:
  image: { name: buildsim-test/missing:0, pull_policy: never }
  script: [echo never here]
`),
    );
    expect(await run.exit).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.output).toContain(
      'ERROR: Job failed (system failure): failed to pull image "buildsim-test/missing:0" with specified policies [never]',
    );
    expect(run.output).not.toContain("never here");
  });

  it("kills a job at its timeout, still runs its after_script in the same container, and leaves no container behind", async () => {
    const run = start(
      project(`job:
  image: ${BUSYBOX_IMAGE}
  timeout: 3s
  script: [touch /tmp/script-started, sleep 611]
  after_script: ['test -e /tmp/script-started && echo "after the timeout: $CI_JOB_STATUS"']
`),
    );
    expect(await run.exit).toBe(1);
    expect(run.output).toContain("execution took longer than");
    expect(run.output).toContain("after the timeout: failed");
    expect(leftovers()).toEqual({ containers: "", networks: "" });
  });

  it("on Ctrl-C cancels the jobs, removes their containers and processes, and exits 130", async () => {
    const run = start(
      project(`in-docker:
  image: ${BUSYBOX_IMAGE}
  services: [${BUSYBOX_IMAGE}]
  script: [sleep 612]
on-host:
  script: [sleep 613]
`),
      "auto",
    );
    await until(() => run.output.includes("$ sleep 612") && run.output.includes("$ sleep 613"));
    run.child.kill("SIGINT");
    expect(await exitOf(run)).toBe(130);
    expect(run.output).toMatch(/in-docker +⊘ canceled/);
    expect(run.output).toMatch(/on-host +⊘ canceled/);
    expect(leftovers()).toEqual({ containers: "", networks: "" });
    expect(processesMatching("sleep 61")).toEqual([]);
  });

  it("when the run is killed with kill -9, its jobs die with it; a run after a reaper-less death removes what was left", async () => {
    const p = project(`in-docker:
  image: ${BUSYBOX_IMAGE}
  script: [sleep 614]
on-host:
  script: [sleep 615]
`);
    const run = start(p, "auto");
    await until(() => run.output.includes("$ sleep 614") && run.output.includes("$ sleep 615"));
    run.child.kill("SIGKILL");
    await run.exit;
    // The reaper (a process of its own) kills the host job's group and removes the container.
    await until(() => processesMatching("sleep 615").length === 0 && leftovers().containers === "", 30_000);
    expect(processesMatching("sleep 614")).toEqual([]);

    // Now a life whose reaper dies too (kill -9 of both): its container stays, until the next run starts.
    const second = start(p, "auto");
    await until(() => second.output.includes("$ sleep 614"));
    const reaper = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(second.child.pid)], {
      encoding: "utf8",
    })
      .split("\n")
      .find((line) => line.includes("reaper-main"));
    process.kill(Number.parseInt(reaper!.trim(), 10), "SIGKILL");
    second.child.kill("SIGKILL");
    await second.exit;
    expect(leftovers().containers).not.toBe("");
    writeFileSync(path.join(p.dir, ".gitlab-ci.yml"), "job:\n  script: [echo clean start]\n");
    const third = start(p, "auto");
    expect(await third.exit).toBe(0);
    expect(third.output).toContain("clean start");
    expect(leftovers()).toEqual({ containers: "", networks: "" });
  });

  it("passes artifacts along needs between docker and shell jobs in one pipeline", async () => {
    const run = start(
      project(`stages: [one, two, three]
make:
  stage: one
  image: ${BUSYBOX_IMAGE}
  script: [mkdir -p out, echo from-docker > out/a.txt]
  artifacts: { paths: [out/] }
host:
  stage: two
  needs: [make]
  script: [cat out/a.txt, echo from-shell > out/b.txt]
  artifacts: { paths: [out/b.txt] }
back:
  stage: three
  image: ${BUSYBOX_IMAGE}
  needs: [make, host]
  script: [cat out/a.txt out/b.txt]
`),
      "auto",
    );
    expect(await run.exit).toBe(0);
    expect(run.output).toMatch(/make +✔ success .*\[docker\]/);
    expect(run.output).toMatch(/host +✔ success .*\[shell\]/);
    expect(run.output).toMatch(/back +\| from-docker\n(?:.*\n)*?back +\| from-shell/);
    expect(leftovers()).toEqual({ containers: "", networks: "" });
  });
});
