import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runLintCommand } from "./lint-command.js";

let repo: string;
let out: string[];
let err: string[];

beforeEach(() => {
  repo = mkdtempSync(path.join(tmpdir(), "buildsim-lint-"));
  out = [];
  err = [];
});

afterEach(() => {
  rmSync(repo, { recursive: true, force: true });
});

const write = (file: string, content: string): void => {
  mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  writeFileSync(path.join(repo, file), content);
};

const run = (argv: string[], cwd = repo): Promise<number> =>
  runLintCommand(argv, { cwd, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });

describe("buildsim lint", () => {
  it("prints its usage for --help and exits 0", async () => {
    expect(await run(["--help"])).toBe(0);
    expect(out.join("\n")).toContain("-f, --file FILE");
  });

  it("says the syntax is correct and exits 0 for a valid .gitlab-ci.yml in the current directory", async () => {
    write(".gitlab-ci.yml", "include: ci/test.yml\nbuild: { stage: build, script: make }\n");
    write("ci/test.yml", "test: { script: make test, needs: [build] }\n");
    expect(await run([])).toBe(0);
    expect(out).toEqual([".gitlab-ci.yml: Syntax is correct."]);
    expect(err).toEqual([]);
  });

  it("prints every problem as file:line:col: message and exits 1", async () => {
    write(".gitlab-ci.yml", "include: ci/jobs.yml\nbuild:\n  stage: nowhere\n  script: make\n");
    write("ci/jobs.yml", "test:\n  script: x\n  retry: 7\n");
    expect(await run([])).toBe(1);
    expect(out).toEqual([
      ".gitlab-ci.yml:3:3: build job: chosen stage nowhere does not exist; available stages are .pre, build, test, deploy, .post",
      "ci/jobs.yml:3:3: jobs:test:retry config must be less than or equal to 2",
    ]);
    expect(err).toEqual([".gitlab-ci.yml: 2 problems found"]);
  });

  it("lints another file given with --file, relative to the current directory", async () => {
    write("pipelines/other.yml", "job:\n  script: x\n  when: later\n");
    expect(await run(["--file", "pipelines/other.yml"])).toBe(1);
    expect(out).toEqual([
      "pipelines/other.yml:3:3: jobs:job when should be one of: on_success, on_failure, always, manual, delayed",
    ]);
    expect(await run(["--file=pipelines/other.yml"])).toBe(1);
  });

  it("reports a missing file as a problem", async () => {
    expect(await run([])).toBe(1);
    expect(out).toEqual([".gitlab-ci.yml:1:1: Local file `.gitlab-ci.yml` does not exist!"]);
  });

  it("rejects unknown arguments in one line pointing at the help, with exit code 2", async () => {
    expect(await run(["--verbose"])).toBe(2);
    expect(err).toEqual(["buildsim lint: unknown option --verbose", "see 'buildsim lint --help'"]);
    expect(await run(["--file"])).toBe(2);
    expect(await run(["extra.yml"])).toBe(2);
  });

  it("resolves includes with the same flags as run: --project, --include-map, wildcards", async () => {
    // https://docs.gitlab.com/ci/yaml/includes/ — every include type, offline.
    write("shared/ci/jobs.yml", ".base: {stage: test}\n");
    write(
      "shared/templates/fmt.yml",
      "spec:\n  inputs:\n    tool: {default: gofmt}\n---\nfmt: {script: ['$[[ inputs.tool ]]']}\n",
    );
    write("vendor/Go.gitlab-ci.yml", "vet: {script: [go vet]}\n");
    write("app/ci/a.yml", "a: {script: x}\n");
    write("app/ci/b.yml", "b: {script: x}\n");
    write(
      "app/map.yml",
      "Go.gitlab-ci.yml: ../vendor/Go.gitlab-ci.yml\ngitlab.test/acme/shared: ../shared\n",
    );
    write(
      "app/.gitlab-ci.yml",
      "include:\n  - project: acme/shared\n    file: ci/jobs.yml\n  - template: Go.gitlab-ci.yml\n  - component: gitlab.test/acme/shared/fmt@main\n  - local: ci/*.yml\nunit: {extends: .base, script: x}\n",
    );
    const cwd = path.join(repo, "app");
    const code = await run(["--include-map", "map.yml", "--project", "acme/shared=../shared"], cwd);
    expect([...out, ...err]).toEqual([".gitlab-ci.yml: Syntax is correct."]);
    expect(code).toBe(0);
  });

  it("names the flag that resolves an include it cannot read, once, without follow-on errors", async () => {
    write(
      ".gitlab-ci.yml",
      "include:\n  - project: acme/shared\n    file: ci/jobs.yml\nunit: {extends: .base}\n",
    );
    expect(await run([])).toBe(1);
    expect(out).toEqual([
      ".gitlab-ci.yml:2:5: Project `acme/shared` not found or access denied!: map it in .buildsim/includes.yml (--include-map), register it with --project <path>=<dir>, or give --gitlab-url",
    ]);
  });

  // Include paths may use predefined variables such as CI_SERVER_FQDN, which component addresses
  // usually start with: https://docs.gitlab.com/ci/yaml/includes/#use-variables-with-include and
  // https://docs.gitlab.com/ci/components/#use-a-component
  it("expands predefined variables such as $CI_SERVER_FQDN in include addresses", async () => {
    write(
      ".gitlab-ci.yml",
      "include:\n  - component: $CI_SERVER_FQDN/acme/components/lint@1.0\nbuild:\n  script: make\n",
    );
    write(".buildsim/includes.yml", "acme/components: ../components\n");
    write("components/templates/lint.yml", "lint:\n  script: make lint\n");
    expect(await run([])).toBe(0);
    expect(out).toEqual([".gitlab-ci.yml: Syntax is correct."]);
  });

  it("takes CI_SERVER_FQDN from --gitlab-url, the instance the includes come from", async () => {
    write(
      ".gitlab-ci.yml",
      "include:\n  - component: ${CI_SERVER_FQDN}/acme/components/lint@1.0\nbuild:\n  script: make\n",
    );
    write(".buildsim/includes.yml", "gitlab.example.com/acme/components/lint@1.0: lint.yml\n");
    write(".buildsim/lint.yml", "lint:\n  script: make lint\n");
    expect(await run(["--gitlab-url", "https://gitlab.example.com"])).toBe(0);
    expect(out).toEqual([".gitlab-ci.yml: Syntax is correct."]);
  });
});
