// The system parts (outside npm) that buildsim's tests need: one entry per part, each with a check and the
// Debian package that provides it. `ensureSystemDeps()` installs what is missing with apt-get when it runs as
// root on a machine with apt; anywhere else it fails with one line naming what to install. Never a skip.
// Run directly (`node scripts/system-deps.mjs [name…]`) it does the same and exits 1 on a missing part.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** True when `cmd args` runs and exits 0 (quietly). */
function succeeds(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: "ignore" });
  return result.error === undefined && result.status === 0;
}

/**
 * One entry per system part. `check` is idempotent and cheap; `apt` is the Debian package that provides
 * it; `why` says which tests need it (shown when it cannot be installed).
 */
export const SYSTEM_DEPS = [
  {
    name: "python3-gitlab",
    // Debian's python, where python3-gitlab installs (a pyenv `python3` on PATH cannot see it).
    check: () => succeeds("/usr/bin/python3", ["-c", "import gitlab"]),
    apt: "python3-gitlab",
    why: "the python-gitlab contract tests (packages/contract-tests) run it with /usr/bin/python3",
  },
];

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;
const hasApt = () => succeeds("apt-get", ["--version"]);

/**
 * Installs every missing part of `names` (default: all). Returns null when everything is present, else
 * the one line to show: what is missing, what needs it and the command that installs it.
 * `deps` replaces SYSTEM_DEPS and `canInstall` the root-with-apt test (for tests).
 * @param {{ names?: string[], log?: (line: string) => void, deps?: typeof SYSTEM_DEPS, canInstall?: boolean }} [options]
 * @returns {string | null}
 */
export function ensureSystemDeps(options = {}) {
  const log = options.log ?? ((line) => console.log(line));
  const all = options.deps ?? SYSTEM_DEPS;
  const wanted = options.names?.length ? all.filter((dep) => options.names.includes(dep.name)) : all;
  const missing = wanted.filter((dep) => !dep.check());
  if (missing.length === 0) return null;
  if (options.canInstall ?? (isRoot() && hasApt())) {
    const packages = missing.map((dep) => dep.apt);
    log(`[system-deps] installing ${packages.join(" ")} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const quiet = { env, stdio: ["ignore", "ignore", "inherit"] };
    const install = () =>
      spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], quiet);
    // A fresh image has no package lists yet: update once, only when the first attempt fails.
    if (install().status !== 0) {
      spawnSync("apt-get", ["update", "-qq"], quiet);
      install();
    }
  }
  const still = missing.filter((dep) => !dep.check());
  if (still.length === 0) return null;
  const needs = still.map((dep) => `${dep.name} (${dep.why})`).join("; ");
  return `missing ${needs}: install with \`sudo apt-get install ${still.map((d) => d.apt).join(" ")}\` (run as root with apt-get and it installs itself)`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problem = ensureSystemDeps({ names: process.argv.slice(2) });
  if (problem) console.error(problem);
  process.exit(problem ? 1 : 0);
}
