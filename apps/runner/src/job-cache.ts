// `cache:` on the host, for the shell and docker executors alike: restored into the project directory before
// the script and saved after it, one zip per project and key, with GitLab Runner's trace lines.
// https://docs.gitlab.com/ci/caching/

import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { expandRunner } from "@buildsim/ci-config";
import type { JobCache, JobPayload } from "@buildsim/core";
import { unzipInto, zipFiles } from "./artifacts-transfer.js";
import type { ExecutorContext } from "./executor.js";
import { expandJobVariables } from "./job-variables.js";
import { selectArtifactFiles } from "./match-artifact-paths.js";
import { sectionLine } from "./trace-lines.js";
import { untrackedFiles, untrackedLine } from "./untracked-files.js";

/** Where caches live: `<rootDir>/<project path>/<key>.zip`, shared by every pipeline of the project. */
export interface JobCacheStore {
  rootDir: string;
}

/**
 * `cache:key` (string, `prefix`, `files`) and `fallback_keys` with the job's variables, as GitLab Runner
 * expands them: Go's `os.Expand` over the values it prepared (themselves expanded once).
 */
const expand = (text: string, job: JobPayload) => expandRunner(text, expandJobVariables(job.variables));

/** A git blob id: what GitLab hashes for `key:files` (the files' contents at the pipeline's commit). */
function blobId(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

/**
 * The cache's key as GitLab computes it: a string key with the job's variables expanded; for `key:files`,
 * the SHA1 of the sorted, unique blob ids of the matching files joined by `-` ("default" when none
 * exist), after `prefix-` when there is one (lib/gitlab/ci/pipeline/seed/build/cache.rb). Then the
 * server's `keySuffix` (`-protected` / `-non_protected`, app/models/ci/build.rb `cache`).
 */
export async function cacheKeyOf(cache: JobCache, job: JobPayload, projectDir: string): Promise<string> {
  return (await unsuffixedKey(cache, job, projectDir)) + (cache.keySuffix ?? "");
}

/** `fallback_keys`, expanded, each with the server's suffix as GitLab appends it to them too. */
function fallbackKeysOf(cache: JobCache, job: JobPayload): string[] {
  return cache.fallbackKeys.map((key) => expand(key, job) + (cache.keySuffix ?? ""));
}

async function unsuffixedKey(cache: JobCache, job: JobPayload, projectDir: string): Promise<string> {
  if (typeof cache.key === "string") return expand(cache.key, job) || "default";
  const ids: string[] = [];
  for (const pattern of cache.key.files.map((file) => expand(file, job))) {
    const files = pattern.includes("*")
      ? (await selectArtifactFiles(projectDir, [pattern], [])).files
      : [pattern];
    for (const file of files) {
      const content = await readFile(path.join(projectDir, file)).catch(() => null);
      if (content) ids.push(blobId(content));
    }
  }
  const unique = [...new Set(ids)].sort();
  const digest = unique.length > 0 ? createHash("sha1").update(unique.join("-")).digest("hex") : "default";
  const prefix = cache.key.prefix ? expand(cache.key.prefix, job) : "";
  return [prefix, digest].filter((part) => part !== "").join("-");
}

function archivePath(store: JobCacheStore, job: JobPayload, key: string): string {
  // A key is one path segment whatever it holds.
  return path.join(store.rootDir, job.projectPath, `${encodeURIComponent(key)}.zip`);
}

/** Restores each cache whose policy pulls: its key, else the first fallback key that exists. */
export async function restoreJobCaches(
  { job, trace }: ExecutorContext,
  store: JobCacheStore,
  projectDir: string,
): Promise<void> {
  if (job.cache.length === 0) return;
  trace(sectionLine("Restoring cache"));
  for (const cache of job.cache) {
    const key = await cacheKeyOf(cache, job, projectDir);
    if (cache.policy === "push") {
      trace(`Not downloading cache ${key} due to policy\n`);
      continue;
    }
    for (const candidate of [key, ...fallbackKeysOf(cache, job)]) {
      trace(`Checking cache for ${candidate}...\n`);
      const archive = await readFile(archivePath(store, job, candidate)).catch(() => null);
      if (!archive) {
        trace(`WARNING: file does not exist\nFailed to extract cache: ${candidate} not found\n`);
        continue;
      }
      trace(
        "No URL provided, cache will not be downloaded from shared cache server. Instead a local version of cache will be extracted.\n",
      );
      await unzipInto(projectDir, archive);
      trace("Successfully extracted cache\n");
      break;
    }
  }
}

/** Saves each cache whose policy pushes and whose `when` matches how the job went. */
export async function saveJobCaches(
  { job, trace }: ExecutorContext,
  store: JobCacheStore,
  projectDir: string,
  state: "success" | "failed",
): Promise<void> {
  const due = job.cache.filter(
    (c) => c.when === "always" || c.when === (state === "success" ? "on_success" : "on_failure"),
  );
  if (due.length === 0) return;
  trace(sectionLine(`Saving cache for ${state === "success" ? "successful" : "failed"} job`));
  for (const cache of due) {
    const key = await cacheKeyOf(cache, job, projectDir);
    if (cache.policy === "pull") {
      trace(`Not uploading cache ${key} due to policy\n`);
      continue;
    }
    trace(`Creating cache ${key}...\n`);
    const selection = await selectArtifactFiles(projectDir, cache.paths, []);
    for (const { pattern, fileCount } of selection.patterns)
      trace(
        fileCount > 0
          ? `${pattern}: found ${fileCount} matching artifact files and directories\n`
          : `WARNING: ${pattern}: no matching files. Ensure that the artifact path is relative to the working directory\n`,
      );
    const files = new Set(selection.files);
    if (cache.untracked) {
      const untracked = await untrackedFiles(projectDir, job);
      trace(untrackedLine(untracked.length));
      for (const file of untracked) files.add(file);
    }
    const target = archivePath(store, job, key);
    await mkdir(path.dirname(target), { recursive: true });
    // Written aside and renamed: a job reading the cache meanwhile sees the old archive or the new one.
    const partial = `${target}.${process.pid}.${job.id}.tmp`;
    await writeFile(partial, await zipFiles(projectDir, [...files].sort()));
    await rename(partial, target);
    trace(
      "No URL provided, cache will not be uploaded to shared cache server. Cache will be stored only locally.\nCreated cache\n",
    );
  }
}
