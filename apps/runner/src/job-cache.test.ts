import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { JobCache } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeJobPayload } from "../../../packages/client/src/test-support/make-job-payload.js";
import type { ExecutorContext } from "./executor.js";
import { cacheKeyOf, restoreJobCaches, saveJobCaches } from "./job-cache.js";

let root: string;
let project: string;
let store: { rootDir: string };
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "buildsim-cache-test-"));
  project = path.join(root, "project");
  await mkdir(project);
  store = { rootDir: path.join(root, "cache") };
});
afterEach(() => rm(root, { recursive: true, force: true }));

const cache = (overrides: Partial<JobCache> = {}): JobCache => ({
  key: "deps",
  paths: ["vendor/"],
  untracked: false,
  policy: "pull-push",
  when: "on_success",
  fallbackKeys: [],
  ...overrides,
});

function context(caches: JobCache[]): ExecutorContext & { text: () => string } {
  const chunks: string[] = [];
  const job = {
    ...makeJobPayload({ id: 7, script: ["true"] }),
    projectPath: "grp/app",
    cache: caches,
    variables: [{ key: "CI_COMMIT_REF_SLUG", value: "main", public: true, masked: false }],
  };
  return {
    job,
    trace: (data) => chunks.push(String(data)),
    signal: new AbortController().signal,
    text: () => chunks.join(""),
  } as ExecutorContext & { text: () => string };
}

describe("job caches", () => {
  // GitLab: the key is the SHA1 of the files' blob ids (sorted, unique, joined by "-"), after the prefix;
  // "default" when no listed file exists (lib/gitlab/ci/pipeline/seed/build/cache.rb).
  it("keys key:files by the git blob ids of the files' contents, after the prefix", async () => {
    await writeFile(path.join(project, "package.json"), "{}\n");
    const blob = createHash("sha1").update("blob 3\0{}\n").digest("hex");
    const expected = createHash("sha1").update(blob).digest("hex");
    const { job } = context([]);
    expect(await cacheKeyOf(cache({ key: { files: ["package.json"], prefix: "npm" } }), job, project)).toBe(
      `npm-${expected}`,
    );
    expect(await cacheKeyOf(cache({ key: { files: ["missing.lock"], prefix: null } }), job, project)).toBe(
      "default",
    );
    expect(await cacheKeyOf(cache({ key: "deps-$CI_COMMIT_REF_SLUG" }), job, project)).toBe("deps-main");
  });

  it("expands variables within variables in the key, prefix, fallback keys and key:files paths", async () => {
    // cache:key is expanded by GitLab Runner's internal mechanism (Go's os.Expand over the job's variables,
    // which GitLab already expanded recursively): https://docs.gitlab.com/ci/variables/where_variables_can_be_used/
    await mkdir(path.join(project, "web"));
    await writeFile(path.join(project, "web", "yarn.lock"), "{}\n");
    const blob = createHash("sha1").update("blob 3\0{}\n").digest("hex");
    const digest = createHash("sha1").update(blob).digest("hex");
    const { job } = context([]);
    job.variables = [
      { key: "APP", value: "web", public: true },
      { key: "LOCK", value: "$APP/yarn.lock", public: true },
      { key: "PREFIX", value: "$APP-deps", public: true },
    ];
    expect(await cacheKeyOf(cache({ key: "$PREFIX-$$literal" }), job, project)).toBe("web-deps-$literal");
    expect(await cacheKeyOf(cache({ key: { files: ["$LOCK"], prefix: "$PREFIX" } }), job, project)).toBe(
      `web-deps-${digest}`,
    );
    const restoring = { ...context([cache({ key: "missing", fallbackKeys: ["$PREFIX-main"] })]) };
    restoring.job.variables = job.variables;
    await restoreJobCaches(restoring, store, project);
    expect(restoring.text()).toContain("Checking cache for web-deps-main...\n");
  });

  it("saves the paths after a successful job and restores them into the next job, with Runner's lines", async () => {
    await mkdir(path.join(project, "vendor"));
    await writeFile(path.join(project, "vendor/lib.txt"), "kept");
    const saving = context([cache()]);
    await saveJobCaches(saving, store, project, "success");
    expect(saving.text()).toContain("Saving cache for successful job");
    expect(saving.text()).toContain("Creating cache deps...");
    expect(saving.text()).toContain("vendor/: found 1 matching artifact files and directories");
    expect(saving.text()).toContain("Created cache");

    await rm(path.join(project, "vendor"), { recursive: true });
    const restoring = context([cache()]);
    await restoreJobCaches(restoring, store, project);
    expect(restoring.text()).toContain("Checking cache for deps...");
    expect(restoring.text()).toContain("Successfully extracted cache");
    expect(await readFile(path.join(project, "vendor/lib.txt"), "utf8")).toBe("kept");
  });

  it("falls back to fallback_keys when the key has no cache yet", async () => {
    await mkdir(path.join(project, "vendor"));
    await writeFile(path.join(project, "vendor/lib.txt"), "from main");
    await saveJobCaches(context([cache({ key: "deps-main" })]), store, project, "success");
    await rm(path.join(project, "vendor"), { recursive: true });
    const restoring = context([cache({ key: "deps-feature", fallbackKeys: ["deps-$CI_COMMIT_REF_SLUG"] })]);
    await restoreJobCaches(restoring, store, project);
    expect(restoring.text()).toMatch(
      /Checking cache for deps-feature\.\.\.\n[\s\S]*?not found\n[\s\S]*Checking cache for deps-main/,
    );
    expect(await readFile(path.join(project, "vendor/lib.txt"), "utf8")).toBe("from main");
  });

  // GitLab appends `-protected` / `-non_protected` to the key and to each fallback key (app/models/ci/build.rb
  // `cache`); the server sends it as `keySuffix`. A protected ref's cache is not restored on another ref.
  it("appends the server's key suffix to the key and the fallback keys, keeping protected caches apart", async () => {
    await mkdir(path.join(project, "vendor"));
    await writeFile(path.join(project, "vendor/lib.txt"), "from protected main");
    const saving = context([cache({ key: "deps-$CI_COMMIT_REF_SLUG", keySuffix: "-protected" })]);
    await saveJobCaches(saving, store, project, "success");
    expect(saving.text()).toContain("Creating cache deps-main-protected...");
    await rm(path.join(project, "vendor"), { recursive: true });

    const unprotected = context([
      cache({ key: "deps-feature", fallbackKeys: ["deps-$CI_COMMIT_REF_SLUG"], keySuffix: "-non_protected" }),
    ]);
    await restoreJobCaches(unprotected, store, project);
    expect(unprotected.text()).toContain("Checking cache for deps-feature-non_protected...");
    expect(unprotected.text()).toContain("Checking cache for deps-main-non_protected...");
    expect(unprotected.text()).not.toContain("Successfully extracted cache");

    const files = cache({ key: { files: ["missing.lock"], prefix: "npm" }, keySuffix: "-protected" });
    expect(await cacheKeyOf(files, unprotected.job, project)).toBe("npm-default-protected");
  });

  it("honours policy and when: pull never saves, push never restores, on_success skips a failed job", async () => {
    await mkdir(path.join(project, "vendor"));
    await writeFile(path.join(project, "vendor/lib.txt"), "x");
    const pull = context([cache({ policy: "pull" })]);
    await saveJobCaches(pull, store, project, "success");
    expect(pull.text()).toContain("Not uploading cache deps due to policy");
    const push = context([cache({ policy: "push" })]);
    await restoreJobCaches(push, store, project);
    expect(push.text()).toContain("Not downloading cache deps due to policy");
    const failed = context([cache()]);
    await saveJobCaches(failed, store, project, "failed");
    expect(failed.text()).toBe("");
    const always = context([cache({ when: "always" })]);
    await saveJobCaches(always, store, project, "failed");
    expect(always.text()).toContain("Saving cache for failed job");
  });
});
