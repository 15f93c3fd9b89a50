// The `buildsim` bin as a user meets it (the built dist/buildsim.mjs in a child process): --version,
// usage errors as one line plus a pointer to the help (exit 2), runtime errors as one line naming the cause
// and the fix (exit 1) with no stack trace unless --debug.

import { execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/buildsim.mjs");
const VERSION = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../package.json"), "utf8"),
).version as string;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function scratch(files: Record<string, string> = {}, git = true): string {
  const dir = mkdtempSync(path.join(tmpdir(), "buildsim-cli-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  if (git) {
    const run = (...a: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@x", ...a], { cwd: dir });
    run("init", "-q", "-b", "main");
    run("add", ".");
    run("commit", "-qm", "test", "--allow-empty");
  }
  return dir;
}

function buildsim(args: string[], cwd = process.cwd()) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const PIPELINE = "build:\n  script: [echo hi]\ndeploy:\n  when: manual\n  script: [echo deploy]\n";

describe("buildsim --version", () => {
  it("prints the package's version for --version, -v and the version command", () => {
    for (const args of [["--version"], ["-v"], ["version"]]) {
      expect(buildsim(args)).toEqual({ code: 0, out: `buildsim ${VERSION}\n`, err: "" });
    }
  });
});

describe("usage errors", () => {
  it.each([
    [["run", "--bogus"], "buildsim run: unknown option --bogus\nsee 'buildsim run --help'\n"],
    [["serve", "-p"], "buildsim serve: -p/--port needs a value\nsee 'buildsim serve --help'\n"],
    [["lint", "a.yml"], "buildsim lint: unexpected argument \"a.yml\"\nsee 'buildsim lint --help'\n"],
    [["runner", "--url"], "buildsim runner: --url needs a value\nsee 'buildsim runner --help'\n"],
    [
      ["nosuch"],
      "buildsim: unknown command \"nosuch\"; the commands are run, serve, runner, lint, record, version\nsee 'buildsim --help'\n",
    ],
  ])("%j prints one line and where the help is, and exits 2", (args, err) => {
    expect(buildsim(args)).toEqual({ code: 2, out: "", err });
  });

  it("refuses a --manual name that is no manual job, listing the manual jobs", () => {
    const dir = scratch({ ".gitlab-ci.yml": PIPELINE });
    const r = buildsim(["run", "--manual", "nosuch"], dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `buildsim run: --manual "nosuch" names no manual job of this pipeline; its manual jobs are: deploy\nsee 'buildsim run --help'\n`,
    );
  });

  it("refuses a --job name the pipeline lacks, listing its jobs", () => {
    const dir = scratch({ ".gitlab-ci.yml": PIPELINE });
    const r = buildsim(["run", "--job", "nosuch"], dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe('buildsim run: no job "nosuch" in .gitlab-ci.yml; its jobs are: build, deploy\n');
  });

  it("describes every flag in run --help, with the short ones", () => {
    const help = buildsim(["run", "--help"]).out;
    for (const flag of ["-f, --file", "--ref", "--job", "--var", "--concurrent", "--manual", "--executor"])
      expect(help).toContain(flag);
    for (const flag of ["--data", "--port", "--keep", "--verbose", "--debug", "-h, --help"])
      expect(help).toContain(flag);
    expect(buildsim(["--help"]).out).toContain("runner register");
    expect(buildsim(["serve", "--help"]).out).toContain("-p, --port");
  });
});

describe("runtime errors", () => {
  it("names a busy port (EADDRINUSE) in one line without a stack trace", async () => {
    const busy = createServer().listen(0, "127.0.0.1");
    await once(busy, "listening");
    const port = (busy.address() as { port: number }).port;
    try {
      const child = spawn(process.execPath, [BIN, "serve", "--db", ":memory:", "--port", String(port)]);
      let err = "";
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      const [code] = await once(child, "exit");
      expect(code).toBe(1);
      expect(err).toBe(
        `buildsim serve: port ${port} is already in use (EADDRINUSE): stop what listens there, or pick another with --port (0 picks a free one)\n`,
      );
    } finally {
      busy.close();
    }
  });

  it("says --data must be a directory when it names a file (ENOTDIR), and shows the stack only with --debug", () => {
    const dir = scratch({ ".gitlab-ci.yml": PIPELINE, "data.txt": "a file\n" });
    const r = buildsim(["run", "--data", "data.txt/sub"], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^buildsim run: \S*data\.txt\S* is not a directory \(ENOTDIR\): --data must name a directory/,
    );
    expect(r.err.trim().split("\n")).toHaveLength(1);
    const debug = buildsim(["run", "--data", "data.txt/sub", "--debug"], dir);
    expect(debug.err).toMatch(/\n\s+at /);
  });

  it("leaves no .buildsim directory behind when the CI file does not parse", () => {
    const dir = scratch({ ".gitlab-ci.yml": "build: [unclosed\n" });
    const r = buildsim(["run"], dir);
    expect(r.code).toBe(1);
    expect(r.err).not.toBe("");
    expect(existsSync(path.join(dir, ".buildsim"))).toBe(false);
  });

  it("names a PostgreSQL it cannot reach in one line, and leaves no .buildsim directory behind", () => {
    const dir = scratch({ ".gitlab-ci.yml": PIPELINE });
    // Port 1 is privileged and nothing listens there: the connection is refused at once.
    const r = buildsim(["run", "--db", "postgres://ci@127.0.0.1:1/ci"], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^buildsim run: cannot connect to PostgreSQL at 127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(existsSync(path.join(dir, ".buildsim"))).toBe(false);
  });

  it("says what it assumed when the directory is not a git repository", () => {
    const dir = scratch({ ".gitlab-ci.yml": "build:\n  script: [echo hi]\n" }, false);
    const r = buildsim(["run", "--data", path.join(dir, "data")], dir);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      'is not in a git repository: running it as branch "main" at commit 00000000, with every rules:changes true',
    );
  });
});
