import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ClientError, createClient } from "@buildsim/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerLocalProject } from "../../services/local-project.js";
import type { RunningServer } from "../../start-server.js";
import { gitIn } from "../../test-support/git-in.js";
import { startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
let repo: string;

const git = (...args: string[]) => gitIn(repo, ...args);

const CONFIG = `
stages: [build, test]
compile:
  stage: build
  script: [make]
unit:
  stage: test
  script: [make test]
  rules:
    - if: $RUN_UNIT == "yes"
`;

beforeEach(async () => {
  repo = mkdtempSync(path.join(tmpdir(), "buildsim-pipeline-route-"));
  git("init", "-q", "-b", "main");
  writeFileSync(path.join(repo, ".gitlab-ci.yml"), CONFIG);
  git("add", ".");
  git("commit", "-qm", "Add CI");
  git("tag", "v1");
  writeFileSync(path.join(repo, ".gitlab-ci.yml"), "broken:\n  stage: build\n");
  git("commit", "-qam", "Break CI");
  git("checkout", "-q", "-b", "feature", "v1");
  server = await startTestServer({});
  const owner = server.store.users.firstAdmin()!;
  registerLocalProject(server.app, {
    pathWithNamespace: "local/demo",
    name: "demo",
    sourceDir: repo,
    defaultBranch: "main",
    ownerId: owner.id,
  });
});
afterEach(async () => {
  await server.close();
  rmSync(repo, { recursive: true, force: true });
});

const post = (query: string, body?: unknown) =>
  fetch(`${server.url}/api/v4/projects/local%2Fdemo/pipeline${query}`, {
    method: "POST",
    headers: { "PRIVATE-TOKEN": server.token, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe("POST /projects/:id/pipeline", () => {
  it("creates a pipeline from .gitlab-ci.yml at the ref, with its variables (through the client)", async () => {
    const client = createClient({ baseUrl: server.url, token: server.token });
    const pipeline = await client.v4.pipelines.create("local/demo", "feature", {
      variables: [{ key: "RUN_UNIT", value: "yes" }],
    });
    expect(pipeline).toMatchObject({
      ref: "feature",
      sha: git("rev-parse", "v1").trim(),
      source: "api",
      status: "pending",
      tag: false,
    });
    // GitLab keeps them as the pipeline's variables (`GET /projects/:id/pipelines/:pipeline_id/variables`).
    const variables = await fetch(`${server.url}/api/v4/projects/1/pipelines/${pipeline.id}/variables`, {
      headers: { "PRIVATE-TOKEN": server.token },
    });
    expect(await variables.json()).toEqual([{ key: "RUN_UNIT", variable_type: "env_var", value: "yes" }]);
    const jobs = await client.v4.jobs.listForPipeline(1, pipeline.id).toArray();
    expect(jobs.map((j) => `${j.name}:${j.status}`)).toEqual(["compile:pending", "unit:created"]);
    const refused = await client.v4.pipelines.create(1, "nope").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ClientError);
    expect(refused).toMatchObject({ status: 400, code: "bad_request" });
  });

  it("reads include:project and include:component from other local projects at their ref", async () => {
    // https://docs.gitlab.com/ci/yaml/#includeproject and https://docs.gitlab.com/ci/components/
    const shared = mkdtempSync(path.join(tmpdir(), "buildsim-shared-"));
    const inShared = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=A", "-c", "user.email=a@x", ...args], { cwd: shared });
    inShared("init", "-q", "-b", "main");
    writeFileSync(path.join(shared, "lint.yml"), "lint:\n  stage: build\n  script: [lint]\n");
    mkdirSync(path.join(shared, "templates"));
    writeFileSync(
      path.join(shared, "templates/pkg.yml"),
      "spec:\n  inputs:\n    name: {default: pkg}\n---\n$[[ inputs.name ]]:\n  stage: test\n  script: [pack]\n",
    );
    inShared("add", ".");
    inShared("commit", "-qm", "shared");
    inShared("tag", "2.0");
    registerLocalProject(server.app, {
      pathWithNamespace: "acme/shared",
      name: "shared",
      sourceDir: shared,
      defaultBranch: "main",
      ownerId: server.store.users.firstAdmin()!.id,
    });
    writeFileSync(
      path.join(repo, ".gitlab-ci.yml"),
      "stages: [build, test]\ninclude:\n  - project: acme/shared\n    file: lint.yml\n  - component: gitlab.local/acme/shared/pkg@2.0\n    inputs: {name: package}\n",
    );
    git("commit", "-qam", "Use shared CI");
    try {
      const res = await post("?ref=feature");
      expect(res.status).toBe(201);
      const pipeline = (await res.json()) as { id: number };
      expect(server.store.builds.listByPipeline(pipeline.id).map((b) => b.name)).toEqual(["lint", "package"]);
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });

  it("answers with exactly application/json, as python-gitlab needs", async () => {
    const res = await post("", { ref: "feature" });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/json");
  });

  it("leaves out jobs whose rules do not match, and marks tag pipelines", async () => {
    const res = await post("?ref=v1");
    expect(res.status).toBe(201);
    const pipeline = (await res.json()) as { id: number; tag: boolean };
    expect(pipeline.tag).toBe(true);
    expect(server.store.builds.listByPipeline(pipeline.id).map((b) => b.name)).toEqual(["compile"]);
  });

  it("answers 400 with GitLab's reasons: missing ref, unknown ref, invalid config", async () => {
    expect(await (await post("")).json()).toEqual({ error: "ref is missing" });
    expect(await (await post("?ref=nope")).json()).toEqual({ message: { base: ["Reference not found"] } });
    const invalid = await post("?ref=main");
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { message: { base: string[] } };
    expect(body.message.base.join("\n")).toMatch(/\.gitlab-ci\.yml:\d+:\d+: .*script/);
    expect(server.store.pipelines.nextId()).toBe(1);
  });

  it("refuses a Developer a pipeline on the protected default branch with GitLab's reason", async () => {
    // Gitlab::Ci::Pipeline::Chain::Validate::Abilities: "Insufficient permissions for protected ref".
    const admin = server.store.users.firstAdmin()!;
    server.store.transaction(() => {
      server.store.users.insert({ ...admin, id: 98, username: "dev", isAdmin: false });
      server.store.users.addToken(98, "developer-token");
      server.store.projects.setMember(1, 98, 30);
    });
    const as = (ref: string) =>
      fetch(`${server.url}/api/v4/projects/1/pipeline?ref=${ref}`, {
        method: "POST",
        headers: { "PRIVATE-TOKEN": "developer-token" },
      });
    const main = await as("main");
    expect(main.status).toBe(400);
    expect(await main.json()).toEqual({ message: { base: ["Insufficient permissions for protected ref"] } });
    expect(server.store.pipelines.nextId()).toBe(1);
    expect((await as("feature")).status).toBe(201);
  });

  it("refuses callers below developer and projects without a repository", async () => {
    const other = await fetch(`${server.url}/api/v4/projects/1/pipeline?ref=main`, { method: "POST" });
    expect(other.status).toBe(401);
    const admin = server.store.users.firstAdmin()!;
    server.store.transaction(() => {
      server.store.users.insert({ ...admin, id: 99, username: "rita", isAdmin: false });
      server.store.users.addToken(99, "reporter-token");
      server.store.projects.setMember(1, 99, 20);
    });
    const reporter = await fetch(`${server.url}/api/v4/projects/1/pipeline?ref=feature`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": "reporter-token" },
    });
    expect(reporter.status).toBe(403);
    server.store.transaction(() => server.store.projectSources.delete(1));
    expect(await (await post("?ref=feature")).json()).toEqual({
      message: { base: ["Missing CI config file"] },
    });
  });
});
