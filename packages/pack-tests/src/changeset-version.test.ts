// `changeset version` on the repository's own changesets, in a scratch copy of the workspace's manifests:
// it consumes every changeset, bumps each public package by the largest bump its changesets name, writes a
// CHANGELOG.md per public package holding each of its changesets under "Minor Changes" / "Patch Changes",
// and leaves the private packages alone. https://github.com/changesets/changesets/blob/main/docs/command-line-options.md#version

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listWorkspacePackages, WORKSPACE_ROOT } from "./workspace-root.js";

type Bump = "major" | "minor" | "patch";
interface Changeset {
  file: string;
  bumps: Map<string, Bump>;
  summary: string;
}

const CHANGESET_DIR = path.join(WORKSPACE_ROOT, ".changeset");
const CLI = path.join(WORKSPACE_ROOT, "node_modules", "@changesets", "cli", "bin.js");
const ORDER: Bump[] = ["patch", "minor", "major"];

/** A changeset file: `"pkg": bump` lines between `---` fences, then the summary. */
function readChangeset(file: string): Changeset {
  const text = readFileSync(path.join(CHANGESET_DIR, file), "utf8");
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${file}: no frontmatter`);
  const bumps = new Map<string, Bump>();
  for (const line of match[1]!.split("\n").filter((l) => l.trim() !== "")) {
    const entry = /^"([^"]+)":\s*(major|minor|patch)$/.exec(line.trim());
    if (!entry) throw new Error(`${file}: cannot read "${line}"`);
    bumps.set(entry[1]!, entry[2] as Bump);
  }
  return { file, bumps, summary: match[2]!.trim() };
}

function bumped(version: string, bump: Bump): string {
  const [major, minor, patch] = version.split(".").map(Number) as [number, number, number];
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

const changesets = readdirSync(CHANGESET_DIR)
  .filter((f) => f.endsWith(".md") && f !== "README.md")
  .map(readChangeset);
const packages = listWorkspacePackages();
const versionOf = (dir: string) =>
  (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
let copy: string;
const copied = (dir: string) => path.join(copy, path.relative(WORKSPACE_ROOT, dir));

beforeAll(() => {
  copy = mkdtempSync(path.join(os.tmpdir(), "buildsim-changesets-"));
  for (const file of ["package.json", "pnpm-workspace.yaml"])
    cpSync(path.join(WORKSPACE_ROOT, file), path.join(copy, file));
  cpSync(CHANGESET_DIR, path.join(copy, ".changeset"), { recursive: true });
  for (const p of packages) {
    mkdirSync(copied(p.dir), { recursive: true });
    cpSync(path.join(p.dir, "package.json"), path.join(copied(p.dir), "package.json"));
  }
  execFileSync(process.execPath, [CLI, "version"], { cwd: copy, stdio: "pipe" });
}, 120_000);
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe("changeset version on the repository's changesets", () => {
  it("has changesets, each naming public packages only", () => {
    expect(changesets.length).toBeGreaterThan(0);
    const publicNames = new Set(packages.filter((p) => !p.private).map((p) => p.name));
    for (const c of changesets)
      for (const name of c.bumps.keys()) expect(publicNames, c.file).toContain(name);
  });

  it("consumes every changeset", () => {
    expect(readdirSync(path.join(copy, ".changeset")).sort()).toEqual(["README.md", "config.json"]);
  });

  it("bumps each public package by the largest bump its changesets name, and no private package", () => {
    for (const p of packages) {
      const own = changesets.flatMap((c) => (c.bumps.has(p.name) ? [c.bumps.get(p.name)!] : []));
      if (p.private || own.length === 0) {
        expect(versionOf(copied(p.dir)), p.name).toBe(versionOf(p.dir));
        if (p.private) expect(existsSync(path.join(copied(p.dir), "CHANGELOG.md")), p.name).toBe(false);
        continue;
      }
      const largest = own.reduce((a, b) => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b));
      expect(versionOf(copied(p.dir)), p.name).toBe(bumped(versionOf(p.dir), largest));
    }
  });

  it("writes each changeset into the CHANGELOG of every package it names, under its bump's heading", () => {
    for (const c of changesets) {
      for (const [name, bump] of c.bumps) {
        const dir = packages.find((p) => p.name === name)!.dir;
        const log = readFileSync(path.join(copied(dir), "CHANGELOG.md"), "utf8");
        const version = versionOf(copied(dir));
        expect(log.startsWith(`# ${name}\n\n## ${version}\n`), name).toBe(true);
        const heading = `### ${bump[0]!.toUpperCase()}${bump.slice(1)} Changes`;
        expect(log, `${name} has "${heading}"`).toContain(heading);
        const start = log.indexOf(heading) + heading.length;
        const end = log.slice(start).search(/\n#{2,3} /);
        const section = end < 0 ? log.slice(start) : log.slice(start, start + end);
        // The summary's first line, as the changelog lists it (a bullet, wrapped lines indented).
        expect(section, `${c.file} in ${name}'s changelog`).toContain(`- ${c.summary.split("\n")[0]}`);
      }
    }
  });
});
