// `buildsim run` with includes from elsewhere, end to end: a second buildsim on port 0 plays the GitLab
// that hosts a shared template project, its components and CI templates, and a plain HTTP file. Nothing
// comes from the internet. https://docs.gitlab.com/ci/yaml/includes/

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Build } from "@buildsim/core";
import { type RunningServer, startServer } from "@buildsim/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testDatabase } from "../../../../scripts/test-database.mjs";
import { runRunCommand } from "./run-command.js";
import { openRunStore, runDatabaseArgs } from "./test-support/run-database.js";
import { storedRecords } from "./test-support/run-pipeline.js";

let root: string;
let upstream: RunningServer;

function writeRepo(dir: string, files: Record<string, string>, tag?: string): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  const git = (...a: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@x", ...a], { cwd: dir });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-qm", "init");
  if (tag) git("tag", tag);
}

// The shared project other projects include (https://docs.gitlab.com/ci/yaml/#includeproject) and a
// component in it (https://docs.gitlab.com/ci/components/): `templates/<name>.yml` or `<name>/template.yml`.
const SHARED = {
  "ci/defaults.yml": "include: ci/stages.yml\ndefault:\n  before_script: [echo shared-before]\n",
  "ci/stages.yml": "stages: [build, test, deploy]\n.test-base:\n  stage: test\n  script: [echo test-base]\n",
  "templates/deploy/template.yml": `spec:
  inputs:
    environment:
      options: [staging, production]
    replicas:
      type: number
      default: 1
---
"deploy-$[[ inputs.environment ]]":
  stage: deploy
  script: ['echo "deploying to $[[ inputs.environment ]] x$[[ inputs.replicas ]]"']
`,
};

beforeEach(async () => {
  root = mkdtempSync(path.join(tmpdir(), "buildsim-includes-"));
  writeRepo(path.join(root, "shared"), SHARED, "1.0");
  mkdirSync(path.join(root, "upstream/ci-templates"), { recursive: true });
  writeFileSync(
    path.join(root, "upstream/ci-templates/Bash.gitlab-ci.yml"),
    "shellcheck:\n  stage: build\n  script: [echo template-job]\n",
  );
  upstream = await startServer({
    db: testDatabase("upstream"),
    port: 0,
    log: () => {},
    ciTemplatesDir: path.join(root, "upstream/ci-templates"),
    // A plain web server for include:remote.
    routes: (router) =>
      router.add(
        "GET",
        "/static/lint.yml",
        () => ({
          status: 200,
          headers: ["Content-Type", "text/plain"],
          body: Buffer.from("remote-lint:\n  stage: test\n  script: [echo remote-file]\n"),
        }),
        {
          summary: "A remote CI file",
          api: "meta",
          responses: { 200: { description: "YAML", file: "text/plain" } },
        },
      ),
  });
  upstream.local.registerProject({
    pathWithNamespace: "acme/shared",
    name: "shared",
    sourceDir: path.join(root, "shared"),
    defaultBranch: "main",
    ownerId: upstream.adminUserId,
  });
});
afterEach(async () => {
  await upstream?.close();
  rmSync(root, { recursive: true, force: true });
});

const host = () => new URL(upstream.url).host;
const app = () => `include:
  - project: acme/shared
    ref: main
    file: /ci/defaults.yml
  - component: ${host()}/acme/shared/deploy@1.0
    inputs:
      environment: staging
      replicas: 2
  - template: Bash.gitlab-ci.yml
  - remote: ${upstream.url}/static/lint.yml
unit:
  extends: .test-base
`;

async function run(dir: string, args: string[]) {
  let out = "";
  const io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (out += s) },
    cwd: dir,
  };
  const dataDir = path.join(dir, ".buildsim");
  const code = await runRunCommand(["--data", ".buildsim", ...runDatabaseArgs(dataDir), ...args], io);
  let builds: Build[] = [];
  const traces = new Map<string, string>();
  try {
    const store = openRunStore(dataDir);
    builds = storedRecords(store).builds;
    for (const b of builds) traces.set(b.name, store.traces.read(b.id).toString("utf8"));
    store.close();
  } catch {
    // No data dir: the run stopped before the server started.
  }
  return {
    code,
    out,
    names: builds.map((b) => `${b.name}:${b.status}`),
    trace: (n: string) => traces.get(n) ?? "",
  };
}

// Each case runs one or two whole pipelines of bash jobs: the limit only stops a hang on a loaded machine.
const PIPELINE_TIMEOUT_MS = 120_000;

describe("buildsim run with includes", { timeout: PIPELINE_TIMEOUT_MS }, () => {
  it("runs a project that includes a shared project, a component with inputs, a template and a remote file", async () => {
    const dir = path.join(root, "app");
    writeRepo(dir, { ".gitlab-ci.yml": app() });
    const r = await run(dir, ["--gitlab-url", upstream.url, "--gitlab-token", upstream.token]);
    expect(r.out).not.toContain("problem");
    expect(r.code).toBe(0);
    expect(r.names).toEqual([
      "shellcheck:success",
      "remote-lint:success",
      "unit:success",
      "deploy-staging:success",
    ]);
    expect(r.trace("unit")).toContain("shared-before");
    expect(r.trace("unit")).toContain("test-base");
    expect(r.trace("deploy-staging")).toContain("deploying to staging x2");
    expect(r.trace("shellcheck")).toContain("template-job");
    expect(r.trace("remote-lint")).toContain("remote-file");
  });

  it("runs a second time from the cache when the upstream is gone", async () => {
    const dir = path.join(root, "app");
    writeRepo(dir, { ".gitlab-ci.yml": app() });
    const token = upstream.token;
    expect((await run(dir, ["--gitlab-url", upstream.url, "--gitlab-token", token])).code).toBe(0);
    const url = upstream.url;
    await upstream.close();
    const again = await run(dir, ["--gitlab-url", url, "--gitlab-token", token]);
    expect(again.out).toBe(again.out.replace("could not", ""));
    expect(again.code).toBe(0);
    expect(again.names.filter((n) => n.startsWith("deploy-staging"))).toEqual([
      "deploy-staging:success",
      "deploy-staging:success",
    ]);
  });

  it("reads a project registered with --project and a component mapped in .buildsim/includes.yml, offline", async () => {
    const dir = path.join(root, "app");
    writeRepo(dir, {
      ".gitlab-ci.yml": `include:
  - project: acme/shared
    file: ci/defaults.yml
  - component: gitlab.example.com/acme/shared/deploy@1.0
    inputs: {environment: production}
unit:
  extends: .test-base
`,
      // Paths in the map are relative to the map file.
      ".buildsim/includes.yml": "gitlab.example.com/acme/shared: ../../shared\n",
    });
    const r = await run(dir, ["--project", `acme/shared=${path.join(root, "shared")}`]);
    expect(r.code).toBe(0);
    expect(r.names).toEqual(["unit:success", "deploy-production:success"]);
    expect(r.trace("deploy-production")).toContain("deploying to production x1");
  });

  it("runs local wildcard includes chosen by rules and variables, with GitLab-valid values it used to refuse", async () => {
    // https://docs.gitlab.com/ci/yaml/includes/#use-rules-with-include and #use-variables-with-include
    const dir = path.join(root, "app");
    writeRepo(dir, {
      ".gitlab-ci.yml": `variables:
  FF_TIMESTAMPS: true
include:
  - local: ci/jobs/*.yml
  - local: ci/branches/$CI_COMMIT_REF_NAME.yml
  - local: ci/optional.yml
    rules:
      - if: $WITH_OPTIONAL == "yes"
`,
      "ci/jobs/build.yml": "build:\n  stage: build\n  script: ['echo \"ff=$FF_TIMESTAMPS\"']\n",
      "ci/jobs/test.yml": "test:\n  script: [echo test]\n  retry: {max: 1, when: [runner_interrupted]}\n",
      "ci/jobs/nested/skip.yml": "nested:\n  script: [echo never]\n",
      "ci/branches/main.yml": "on-main:\n  stage: deploy\n  script: [echo main]\n",
      "ci/optional.yml": "optional:\n  stage: deploy\n  script: [echo optional]\n",
    });
    const without = await run(dir, []);
    expect(without.code).toBe(0);
    expect(without.names).toEqual(["build:success", "test:success", "on-main:success"]);
    expect(without.trace("build")).toContain("ff=true");
    const withOptional = await run(dir, ["--var", "WITH_OPTIONAL=yes"]);
    expect(withOptional.names.slice(3)).toEqual([
      "build:success",
      "test:success",
      "on-main:success",
      "optional:success",
    ]);
  });

  it("refuses an include it cannot resolve with one error naming the include and the flag", async () => {
    const dir = path.join(root, "app");
    writeRepo(dir, {
      ".gitlab-ci.yml":
        "include:\n  - project: acme/elsewhere\n    file: ci.yml\nunit:\n  extends: .from-elsewhere\n",
    });
    const r = await run(dir, []);
    expect(r.code).toBe(1);
    expect(r.out.trim().split("\n")).toEqual([
      ".gitlab-ci.yml:2:5: Project `acme/elsewhere` not found or access denied!: map it in .buildsim/includes.yml (--include-map), register it with --project <path>=<dir>, or give --gitlab-url",
    ]);
  });

  it("reports a bad component input in GitLab's words at the include", async () => {
    const dir = path.join(root, "app");
    writeRepo(dir, {
      ".gitlab-ci.yml": `include:\n  - component: ${host()}/acme/shared/deploy@1.0\n    inputs: {environment: qa}\n`,
    });
    const r = await run(dir, ["--gitlab-url", upstream.url, "--gitlab-token", upstream.token]);
    expect(r.code).toBe(1);
    expect(r.out.trim()).toBe(
      `.gitlab-ci.yml:2:5: \`${host()}/acme/shared/deploy@1.0\`: \`environment\` input: \`qa\` cannot be used because it is not in the list of allowed options`,
    );
  });
});

it("keeps fetched files under the data dir's includes folder", { timeout: PIPELINE_TIMEOUT_MS }, async () => {
  const dir = path.join(root, "app");
  writeRepo(dir, { ".gitlab-ci.yml": app() });
  await run(dir, ["--gitlab-url", upstream.url, "--gitlab-token", upstream.token]);
  const cached = execFileSync("ls", [path.join(dir, ".buildsim/includes")], { encoding: "utf8" })
    .trim()
    .split("\n");
  // ci/defaults.yml, ci/stages.yml (by ref and by sha), the component, the template and the remote file.
  expect(cached.length).toBeGreaterThanOrEqual(6);
  expect(readFileSync(path.join(dir, ".buildsim/includes", cached[0]!), "utf8")).toContain("content");
});
