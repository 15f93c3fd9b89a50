// Which files of a job's source directory a build gets: in a git work tree, what a clone of it would hold
// plus the not-yet-committed files git does not ignore (`git ls-files -co --exclude-standard`); elsewhere
// every file but git's database and buildsim's own state.

import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** Directory names never taken from a plain (non-git) source directory. */
const SKIPPED_NAMES = new Set([".git", ".buildsim"]);

async function gitFiles(sourceDir: string): Promise<string[] | null> {
  try {
    const { stdout } = await execFileAsync("git", ["ls-files", "-z", "-co", "--exclude-standard"], {
      cwd: sourceDir,
      maxBuffer: 256 << 20,
    });
    return stdout.split("\0").filter(Boolean);
  } catch {
    return null;
  }
}

async function walk(sourceDir: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (rel: string): Promise<void> => {
    for (const entry of await readdir(path.join(sourceDir, rel), { withFileTypes: true })) {
      if (SKIPPED_NAMES.has(entry.name)) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await visit(child);
      else out.push(child);
    }
  };
  await visit("");
  return out;
}

/** Paths relative to `sourceDir`, `/`-separated. */
export async function listSourceFiles(sourceDir: string): Promise<string[]> {
  const files = (await gitFiles(sourceDir)) ?? (await walk(sourceDir));
  return files.filter((f) => !f.split("/").some((part) => SKIPPED_NAMES.has(part)));
}
