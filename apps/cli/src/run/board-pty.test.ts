// The live board in a real pseudo-terminal: `buildsim run` inside tmux (a TTY, so colours and redraws),
// its final screen captured and compared line by line with what GitLab's pipeline page would show.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { runDatabaseArgs } from "./test-support/run-database.js";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/buildsim.mjs");
const session = `buildsim-board-${process.pid}`;
const dirs: string[] = [];
afterEach(() => {
  spawnSync("tmux", ["kill-session", "-t", session]);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const PIPELINE = `stages: [build, test, deploy]
compile:
  stage: build
  script: [echo compiled]
flaky:
  stage: test
  allow_failure: true
  script: [echo trying, exit 1]
unit:
  stage: test
  script: [echo tested]
ship:
  stage: deploy
  when: manual
  script: [echo shipped]
`;

const tmux = (...args: string[]) => execFileSync("tmux", args, { encoding: "utf8" });

it("draws the final board in a terminal in file order, with a warning for the allowed failure and a play hint", async () => {
  const repo = mkdtempSync(path.join(tmpdir(), "buildsim-pty-"));
  dirs.push(repo);
  writeFileSync(path.join(repo, ".gitlab-ci.yml"), PIPELINE);
  for (const args of [
    ["init", "-q", "-b", "main"],
    ["add", "."],
    ["commit", "-qm", "pty"],
  ])
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@x", ...args], { cwd: repo });
  const done = path.join(repo, "exit-code");
  const data = path.join(repo, "data");
  // A postgres:// URL holds `?`, which the shell would glob: quoted.
  const db = runDatabaseArgs(data)
    .map((a) => ` '${a}'`)
    .join("");
  tmux(
    "new-session",
    "-d",
    "-s",
    session,
    "-x",
    "120",
    "-y",
    "50",
    `cd ${repo} && ${process.execPath} ${BIN} run --data ${data}${db}; echo $? > ${done}; sleep 60`,
  );
  const deadline = Date.now() + 60_000;
  while (spawnSync("test", ["-s", done]).status !== 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 200));
  // -e keeps the escape sequences: the colours are part of what is compared.
  const screen = tmux("capture-pane", "-p", "-e", "-t", session);
  const plain = tmux("capture-pane", "-p", "-t", session)
    .split("\n")
    .map((line) => line.trimEnd().replace(/\d+(\.\d)?(ms|s)\b/g, "<t>"));
  const board = plain.slice(plain.findIndex((l) => l.startsWith("pipeline #")));
  expect(board.slice(0, 12)).toEqual([
    "pipeline #1 success",
    "  build",
    "    ✔ compile  success  <t> [shell]",
    "  test",
    "    ⚠ flaky    failed   <t> (allowed to fail) [shell]",
    "    ✔ unit     success  <t> [shell]",
    "  deploy",
    "    ⚙ ship     manual   —",
    "",
    "2 success, 1 failed, 1 manual",
    "manual: ship waiting to be played; run again with --manual ship",
    "pipeline success in <t>",
  ]);
  // The job's own output, not the runner's prologue.
  expect(plain).toContain("compile  | compiled");
  expect(plain.some((l) => l.includes("Running with buildsim-runner"))).toBe(false);
  // GitLab's colours: orange warning, green success.
  expect(screen).toContain("\x1b[38;5;208m⚠");
  expect(screen).toContain("\x1b[32m✔");
}, 90_000);
