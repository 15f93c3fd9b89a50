import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerLocalProject } from "../../services/local-project.js";
import type { RunningServer } from "../../start-server.js";
import { startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
let dir: string;
let repo: string;
let sha1: string;

const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=Ada", "-c", "user.email=ada@example.com", ...args], {
    cwd: repo,
    encoding: "utf8",
  });

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "buildsim-repo-files-"));
  repo = path.join(dir, "ci-templates");
  mkdirSync(path.join(repo, "jobs"), { recursive: true });
  git("init", "-q", "-b", "main");
  writeFileSync(path.join(repo, "jobs/lint.yml"), "lint: {script: [v1]}\n");
  git("add", ".");
  git("commit", "-qm", "v1");
  sha1 = git("rev-parse", "HEAD").trim();
  git("tag", "v1");
  writeFileSync(path.join(repo, "jobs/lint.yml"), "lint: {script: [v2]}\n");
  git("commit", "-qam", "v2");
  mkdirSync(path.join(dir, "templates/Jobs"), { recursive: true });
  writeFileSync(path.join(dir, "templates/Bash.gitlab-ci.yml"), "bash: {script: [echo]}\n");
  writeFileSync(path.join(dir, "templates/Jobs/Build.gitlab-ci.yml"), "build: {script: [make]}\n");
  server = await startTestServer({ ciTemplatesDir: path.join(dir, "templates") });
  const owner = server.store.users.firstAdmin()!;
  registerLocalProject(server.app, {
    pathWithNamespace: "acme/ci-templates",
    name: "ci-templates",
    sourceDir: repo,
    defaultBranch: "main",
    ownerId: owner.id,
  });
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (p: string, token: string | null = server.token) =>
  fetch(`${server.url}/api/v4${p}`, { headers: token ? { "PRIVATE-TOKEN": token } : {} });

describe("GET /projects/:id/repository/files/:file_path/raw", () => {
  // https://docs.gitlab.com/api/repository_files/#get-raw-file-from-repository
  it("serves a URL-encoded path as of a ref, HEAD by default, with GitLab's headers", async () => {
    const head = await get("/projects/acme%2Fci-templates/repository/files/jobs%2Flint.yml/raw");
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("lint: {script: [v2]}\n");
    const tagged = await get("/projects/acme%2Fci-templates/repository/files/jobs%2Flint.yml/raw?ref=v1");
    expect(await tagged.text()).toBe("lint: {script: [v1]}\n");
    expect(tagged.headers.get("x-gitlab-commit-id")).toBe(sha1);
    expect(tagged.headers.get("x-gitlab-file-path")).toBe("jobs/lint.yml");
    expect(tagged.headers.get("x-gitlab-ref")).toBe("v1");
  });

  it("answers 404 File Not Found, 404 Commit Not Found and 404 Project Not Found as GitLab does", async () => {
    const cases: [string, string][] = [
      ["/projects/acme%2Fci-templates/repository/files/nope.yml/raw", "404 File Not Found"],
      ["/projects/acme%2Fci-templates/repository/files/jobs/raw", "404 File Not Found"],
      ["/projects/acme%2Fci-templates/repository/files/jobs%2Flint.yml/raw?ref=v9", "404 Commit Not Found"],
      ["/projects/acme%2Fnope/repository/files/jobs%2Flint.yml/raw", "404 Project Not Found"],
    ];
    for (const [url, message] of cases) {
      const res = await get(url);
      expect([url, res.status, await res.json()]).toEqual([url, 404, { message }]);
    }
  });

  it("hides a private project from anonymous callers", async () => {
    const res = await get("/projects/acme%2Fci-templates/repository/files/jobs%2Flint.yml/raw", null);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404 Project Not Found" });
  });
});

describe("GET /templates/gitlab_ci_ymls/:key", () => {
  // https://docs.gitlab.com/api/templates/gitlab_ci_ymls/#single-gitlab-ci-yaml-template
  it("serves a template by key, subfolders included, as {name, content}", async () => {
    expect(await (await get("/templates/gitlab_ci_ymls/Bash")).json()).toEqual({
      name: "Bash",
      content: "bash: {script: [echo]}\n",
    });
    expect(await (await get("/templates/gitlab_ci_ymls/Jobs%2FBuild")).json()).toEqual({
      name: "Jobs/Build",
      content: "build: {script: [make]}\n",
    });
  });

  it("answers 404 Template Not Found for an unknown key", async () => {
    const res = await get("/templates/gitlab_ci_ymls/Nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404 Template Not Found" });
  });
});
