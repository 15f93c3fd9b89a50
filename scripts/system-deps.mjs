#!/usr/bin/env node
// Installs and starts the system parts the tests need, once each (idempotent): one entry per part. As root
// with apt it installs what is missing; otherwise it fails with ONE line naming what to install — never a
// silent skip. Each package's test script asks for the parts it uses (`node ../../scripts/system-deps.mjs NAME`).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { openSync } from "node:fs";

const ok = (cmd, args) => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
const canApt = process.getuid?.() === 0 && ok("sh", ["-c", "command -v apt-get"]);

function aptInstall(packages) {
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", ...packages], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

/** Waits up to `ms` for `check` to pass. */
function waitFor(check, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    spawnSync("sleep", ["0.2"]);
  }
  return false;
}

const PARTS = [
  {
    // The python-gitlab contract tests (packages/contract-tests): Debian's python3-gitlab, run by Debian's
    // /usr/bin/python3 (a pyenv `python3` on PATH cannot see it).
    name: "python3-gitlab",
    packages: ["python3-gitlab"],
    installed: () => ok("/usr/bin/python3", ["-c", "import gitlab"]),
  },
  {
    // The docker executor's tests: a daemon, and busybox-static / debootstrap to build test images offline.
    name: "docker",
    packages: ["docker.io", "busybox-static", "debootstrap"],
    installed: () => ok("sh", ["-c", "command -v dockerd && test -x /bin/busybox && command -v debootstrap"]),
    running: () => ok("docker", ["info"]),
    start() {
      const log = openSync("/tmp/dockerd.log", "a");
      spawn("dockerd", [], { detached: true, stdio: ["ignore", log, log] }).unref();
      return waitFor(() => ok("docker", ["info"]), 30_000);
    },
  },
  {
    // The suites that run on PostgreSQL too (issue #16): initdb and pg_ctl for throwaway clusters, which
    // the server's vitest global setup starts and removes (scripts/postgres-cluster.mjs), one per run.
    name: "postgresql",
    packages: ["postgresql"],
    installed: () => ok("sh", ["-c", "ls /usr/lib/postgresql/*/bin/initdb || command -v initdb"]),
  },
  {
    // The web UI's browser tests and benchmark: Debian's Chromium, driven by playwright-core.
    name: "chromium",
    packages: ["chromium", "fonts-dejavu-core"],
    installed: () =>
      ok("sh", ["-c", "test -x /usr/bin/chromium && test -d /usr/share/fonts/truetype/dejavu"]),
  },
];

// `system-deps.mjs chromium docker` handles only the parts named; no argument handles every part.
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !PARTS.some((part) => part.name === name));
if (unknown.length > 0) {
  console.error(
    `system-deps: unknown part ${unknown.join(", ")} (known: ${PARTS.map((p) => p.name).join(", ")})`,
  );
  process.exit(2);
}

for (const part of PARTS.filter((p) => wanted.length === 0 || wanted.includes(p.name))) {
  if (!part.installed()) {
    if (!canApt) {
      console.error(
        `system-deps: ${part.name} is missing: install ${part.packages.join(" ")} (as root: apt-get install -y ${part.packages.join(" ")})`,
      );
      process.exit(1);
    }
    console.log(`[system-deps] installing ${part.packages.join(" ")}`);
    aptInstall(part.packages);
  }
  if (part.running && !part.running()) {
    if (process.getuid?.() !== 0 || !part.start()) {
      console.error(`system-deps: ${part.name} is installed but not running: start it (as root: dockerd &)`);
      process.exit(1);
    }
  }
}
