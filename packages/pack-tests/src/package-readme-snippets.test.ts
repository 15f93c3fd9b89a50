// The shell snippets of the package READMEs, as written: the server's serve + curl and OpenAPI commands are
// run; the runner's usage line is checked against the runner's own --help; developer commands
// (`pnpm --filter PKG SCRIPT`) must name packages and scripts that exist. Every snippet is listed below with
// what is done with it, so a new one fails this test until it is run or checked too.

import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commandLines, freePort, readSnippets } from "./readme-snippets.js";
import { listWorkspacePackages, WORKSPACE_ROOT } from "./workspace-root.js";

/** `<README path>#<index of its sh blocks>` → what this test does with the block. */
const HANDLED: Record<string, string> = {
  "apps/cli/README.md#0":
    "installed-packages.test.ts installs the packed tarball and runs `npx buildsim --version`",
  "apps/cli/README.md#1": "interactive pnpm prompt for consumers: not runnable unattended",
  "apps/cli/README.md#2":
    "checked: each line is a buildsim command whose flags are in that command's --help (record needs a GitLab)",
  "apps/runner/README.md#0":
    "checked: every flag it shows is in the runner's --help, and the entry point exists",
  "apps/server/README.md#0": "run: serve the seed, then curl with the printed token",
  "apps/server/README.md#1": "run: curl the OpenAPI document through jq",
  "apps/web/README.md#0": "checked: each `pnpm --filter PKG SCRIPT` names a package that has that script",
};

const shSnippets = listWorkspacePackages().flatMap((p) => {
  const readme = path.join(p.dir, "README.md");
  if (!existsSync(readme)) return [];
  const file = path.relative(WORKSPACE_ROOT, readme);
  return readSnippets(readme)
    .filter((s) => s.lang === "sh")
    .map((s, i) => ({ id: `${file}#${i}`, code: s.code }));
});
const snippet = (id: string) => shSnippets.find((s) => s.id === id)!.code;
const commands = commandLines;

describe("the package READMEs' shell snippets", () => {
  it("are each run or checked here", () => {
    expect(shSnippets.map((s) => s.id).sort()).toEqual(Object.keys(HANDLED).sort());
  });

  it("serve the server README's seed, and its curl lines read it with the token serve prints", async () => {
    // "npx buildsim serve --seed …   # in this repository: npm run buildsim -- serve …"
    const [serveLine, curlLine] = commands(snippet("apps/server/README.md#0"));
    expect(serveLine).toBe("npx buildsim serve --seed examples/seed-doc.yaml");
    const port = String(await freePort());
    const args = ["run", "buildsim", "--", "serve", "--seed", "examples/seed-doc.yaml", "--port", port];
    const serve = spawn("npm", args, {
      cwd: WORKSPACE_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    try {
      let out = "";
      serve.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      while (!out.includes("token:")) await once(serve.stdout, "data");
      // The README shows the token serve prints for this seed; it is the seed's admin token, every time.
      const printed = /token: (\S+)/.exec(out)![1]!;
      expect(snippet("apps/server/README.md#0")).toContain(`# token: ${printed}`);
      const local = (line: string) => line.replaceAll("127.0.0.1:3000", `127.0.0.1:${port}`);
      const builds = JSON.parse(execFileSync("bash", ["-c", `${local(curlLine!)} -s`], { encoding: "utf8" }));
      expect((builds as { id: number }[]).map((b) => b.id).sort((a, b) => a - b)).toEqual([6, 7, 8, 9, 69]);
      // jq is part of the command as written: a machine without it fails here, naming it.
      expect(
        execFileSync("bash", ["-c", "command -v jq || echo 'install jq'"], { encoding: "utf8" }),
      ).not.toBe("install jq\n");
      const [openapiLine] = commands(snippet("apps/server/README.md#1"));
      const pathCount = Number(
        execFileSync("bash", ["-c", local(openapiLine!)], { encoding: "utf8" }).trim(),
      );
      expect(pathCount).toBeGreaterThan(50);
    } finally {
      process.kill(-serve.pid!, "SIGTERM");
    }
  });

  it("show the runner's flags as its --help does, and an entry point that exists", () => {
    const lines = commands(snippet("apps/runner/README.md#0"));
    const main = lines.find((l) => l.startsWith("node "))!.split(" ")[1]!;
    expect(existsSync(path.join(WORKSPACE_ROOT, main))).toBe(true);
    const help = execFileSync(process.execPath, [path.join(WORKSPACE_ROOT, main), "--help"], {
      encoding: "utf8",
    });
    const flags = new Set(lines.join(" ").match(/--[a-z-]+/g));
    expect(flags.size).toBeGreaterThan(3);
    for (const flag of flags) expect(help, flag).toContain(flag);
  });

  it("show buildsim commands with the flags their --help lists", () => {
    const cli = path.join(WORKSPACE_ROOT, "apps/cli/dist/buildsim.mjs");
    const lines = commands(snippet("apps/cli/README.md#2"));
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      const [, command, rest] = /^buildsim (\S+)(.*)$/.exec(line) ?? [];
      expect(command, line).toBeDefined();
      const help = execFileSync(process.execPath, [cli, command!, "--help"], { encoding: "utf8" });
      for (const flag of rest!.match(/--[a-z-]+/g) ?? []) expect(help, `${line}: ${flag}`).toContain(flag);
    }
  });

  it("name packages and scripts that exist in their developer commands", () => {
    const packages = new Map(
      listWorkspacePackages().map((p) => [
        p.name,
        (JSON.parse(readFileSync(path.join(p.dir, "package.json"), "utf8")) as { scripts?: object })
          .scripts ?? {},
      ]),
    );
    const lines = commands(snippet("apps/web/README.md#0"));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const [, name, script] = /^pnpm --filter (\S+) (\S+)$/.exec(line) ?? [];
      expect(packages.get(name!), line).toHaveProperty(script!);
    }
  });
});
