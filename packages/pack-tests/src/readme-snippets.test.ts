// Each command and snippet of the root README, run as written: the install/test commands, the CLI's
// serve + curl + python-gitlab example, the in-process startServer snippet (compiled by strict TypeScript
// without skipLibCheck, then run), and the Install and Development commands.

import { execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commandLines, freePort, readSnippets } from "./readme-snippets.js";
import { WORKSPACE_ROOT } from "./workspace-root.js";

const README = path.join(WORKSPACE_ROOT, "README.md");
// Commands and code, in order; yaml blocks show the contents of files (CI and variables files) and text
// blocks show output, not commands.
const snippets = readSnippets(README).filter((s) => s.lang !== "yaml" && s.lang !== "text");
const snippetsDir = path.resolve(import.meta.dirname, "..", ".snippets");
afterAll(() => rmSync(snippetsDir, { recursive: true, force: true }));

const rootScripts = (
  JSON.parse(readFileSync(path.join(WORKSPACE_ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  }
).scripts;

const commands = commandLines;

describe("the README", () => {
  it("has the snippets this test runs, in this order", () => {
    expect(snippets.map((s) => s.lang)).toEqual(["sh", "sh", "sh", "ts", "sh", "sh"]);
  });

  it("names only npm scripts that exist for its install, test and development commands", () => {
    const npmCommands = [snippets[0]!, snippets[4]!, snippets[5]!].flatMap((s) => commands(s.code));
    for (const line of npmCommands.filter((l) => l.startsWith("npm "))) {
      const [, verb, name] = line.split(/\s+/);
      if (verb === "install") continue;
      const script = verb === "run" ? name! : verb!;
      expect(Object.keys(rootScripts), line).toContain(script);
    }
    // `npm start` and `npm test` go through the bootstrap, which installs pnpm itself.
    expect(rootScripts.start).toBe("node scripts/bootstrap.mjs main");
    expect(rootScripts.test).toBe("node scripts/bootstrap.mjs test");
  });

  it("serves the seed with `npm run buildsim -- serve`, and curl and python-gitlab read its builds", async () => {
    const [serveLine] = commands(snippets[1]!.code);
    // Port 3000 may be taken on a shared machine: the same commands on a free port.
    const port = String(await freePort());
    const serve = spawn("bash", ["-c", `exec ${serveLine!.replace("--port 3000", `--port ${port}`)}`], {
      cwd: WORKSPACE_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    try {
      let out = "";
      serve.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      while (!out.includes("buildsim listening on")) await once(serve.stdout, "data");
      const [curl, python] = commands(snippets[2]!.code).map((l) => l.replaceAll(":3000", `:${port}`));
      const builds = JSON.parse(execFileSync("bash", ["-c", curl!], { encoding: "utf8" })) as {
        id: number;
      }[];
      expect(builds.map((b) => b.id).sort((a, b) => a - b)).toEqual([6, 7, 8, 9, 69]);
      const jobs = execFileSync("bash", ["-c", python!], { encoding: "utf8" });
      expect(jobs).toMatch(/^\[<ProjectJob id:\d+>/);
    } finally {
      process.kill(-serve.pid!, "SIGTERM");
    }
  });

  it("runs the startServer snippet, compiled by strict TypeScript without skipLibCheck", () => {
    mkdirSync(snippetsDir, { recursive: true });
    writeFileSync(path.join(snippetsDir, "start-server.ts"), snippets[3]!.code);
    writeFileSync(
      path.join(snippetsDir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          skipLibCheck: false,
          outDir: "out",
          types: ["node"],
        },
        include: ["*.ts"],
      }),
    );
    const tsc = spawnSync(process.execPath, [tscPath(), "-p", snippetsDir], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    const run = spawnSync(process.execPath, [path.join(snippetsDir, "out", "start-server.js")], {
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("5");
  });
});

/** The workspace's TypeScript compiler. */
function tscPath(): string {
  return path.join(WORKSPACE_ROOT, "node_modules", "typescript", "bin", "tsc");
}
