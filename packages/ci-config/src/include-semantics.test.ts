import { describe, expect, it } from "vitest";
import type { IncludeSources } from "./include-sources.js";
import { OFFLINE_SOURCES } from "./include-sources.js";
import { createMemoryReader, formatProblem } from "./lint-ci-config.js";
import { type LoadCiConfigOptions, loadCiConfig } from "./load-ci-config.js";

const load = (files: Record<string, string>, options: Partial<LoadCiConfigOptions> = {}) =>
  loadCiConfig({ readFile: createMemoryReader(files), listFiles: () => Object.keys(files), ...options });
const jobs = (files: Record<string, string>, options: Partial<LoadCiConfigOptions> = {}) => {
  const result = load(files, options);
  expect(result.problems.map(formatProblem)).toEqual([]);
  return result.config!.jobs.map((j) => j.name);
};
const problems = (files: Record<string, string>, options: Partial<LoadCiConfigOptions> = {}) =>
  load(files, options).problems.map(formatProblem);

/** Another project's files, as a source that answers like GitLab's repository files API. */
const projects = (repos: Record<string, Record<string, string>>): IncludeSources => ({
  ...OFFLINE_SOURCES,
  project: (project, _ref, file) => {
    const repo = repos[project];
    if (!repo) return { ok: false, message: `Project \`${project}\` not found or access denied!` };
    const content = repo[file];
    return content === undefined
      ? { ok: false, notFound: true, message: `Project \`${project}\` file \`${file}\` does not exist!` }
      : { ok: true, content };
  },
});

describe("include:local wildcards", () => {
  // https://docs.gitlab.com/ci/yaml/includes/#use-includelocal-with-wildcard-file-paths
  const files = {
    "configs/a.yml": "a: {script: x}\n",
    "configs/b.yml": "b: {script: x}\n",
    "configs/deep/c.yml": "c: {script: x}\n",
  };

  it("matches one folder with * and every folder below with **", () => {
    expect(jobs({ ".gitlab-ci.yml": "include: 'configs/*.yml'\n", ...files })).toEqual(["a", "b"]);
    expect(jobs({ ".gitlab-ci.yml": "include: 'configs/**.yml'\n", ...files })).toEqual(["a", "b", "c"]);
    expect(jobs({ ".gitlab-ci.yml": "include: 'configs/**/*.yml'\n", ...files })).toEqual(["c"]);
  });
});

describe("include:rules", () => {
  // https://docs.gitlab.com/ci/yaml/includes/#use-rules-with-include
  const files = {
    ".gitlab-ci.yml":
      'include:\n  - local: builds.yml\n    rules:\n      - if: $INCLUDE_BUILDS == "true"\n  - local: deploys.yml\n    rules:\n      - exists: [Dockerfile]\n        when: never\n      - when: always\ntest: {script: x}\n',
    "builds.yml": "build: {script: x}\n",
    "deploys.yml": "deploy: {script: x}\n",
  };

  it("includes a file only when its rules match the pipeline's variables", () => {
    expect(jobs(files, { variables: { INCLUDE_BUILDS: "true" } })).toEqual(["build", "deploy", "test"]);
    expect(jobs(files, { variables: { INCLUDE_BUILDS: "false" } })).toEqual(["deploy", "test"]);
  });

  it("leaves a file out when a matching rule says when: never", () => {
    expect(jobs(files, { exists: (globs) => globs.includes("Dockerfile") })).toEqual(["test"]);
  });

  it("reports an unknown rule keyword at the include", () => {
    expect(
      problems({ ".gitlab-ci.yml": "include:\n  - local: a.yml\n    rules: [{if: $X, manual: true}]\n" }),
    ).toEqual([".gitlab-ci.yml:2:5: include:rules:rule config contains unknown keys: manual"]);
  });
});

describe("variables in include paths", () => {
  // https://docs.gitlab.com/ci/yaml/includes/#use-variables-with-include
  it("expands project and pipeline variables in local and project includes", () => {
    const sources = projects({ "acme/ci": { "jobs/main.yml": "shared: {script: x}\n" } });
    expect(
      jobs(
        {
          ".gitlab-ci.yml":
            // biome-ignore lint/suspicious/noTemplateCurlyInString: GitLab's ${VAR} form
            "include:\n  - local: ci/$CI_COMMIT_REF_NAME.yml\n  - project: $CI_PROJECT_NAMESPACE/ci\n    file: jobs/${FLAVOUR}.yml\n",
          "ci/main.yml": "branch: {script: x}\n",
        },
        { variables: { CI_COMMIT_REF_NAME: "main", CI_PROJECT_NAMESPACE: "acme", FLAVOUR: "main" }, sources },
      ),
    ).toEqual(["branch", "shared"]);
  });
});

describe("include:project", () => {
  // https://docs.gitlab.com/ci/yaml/#includeproject
  it("reads several files of another project, and their local includes from that project", () => {
    const sources = projects({
      "acme/ci": {
        "lint.yml": "include: common.yml\nlint: {script: x, extends: .base}\n",
        "common.yml": ".base: {stage: build}\n",
        "test.yml": "unit: {script: x}\n",
      },
    });
    const result = load(
      { ".gitlab-ci.yml": "include:\n  project: acme/ci\n  ref: v1\n  file: [lint.yml, /test.yml]\n" },
      { sources },
    );
    expect(result.problems).toEqual([]);
    expect(result.config?.jobs.map((j) => [j.name, j.stage])).toEqual([
      ["lint", "build"],
      ["unit", "test"],
    ]);
  });

  it("says which file of the project does not exist", () => {
    expect(
      problems(
        { ".gitlab-ci.yml": "include:\n  - project: acme/ci\n    file: nope.yml\n" },
        { sources: projects({ "acme/ci": {} }) },
      ),
    ).toEqual([".gitlab-ci.yml:2:5: Project `acme/ci` file `nope.yml` does not exist!"]);
  });
});

describe("include limits and duplicates", () => {
  // https://docs.gitlab.com/ci/yaml/includes/#maximum-of-150-nested-includes-are-allowed-error
  it("accepts the same file included twice, the later inclusion winning", () => {
    const files = {
      ".gitlab-ci.yml": "include: [defaults.yml, override.yml, defaults.yml]\njob: {script: x}\n",
      "defaults.yml": "default: {before_script: [defaults]}\n",
      "override.yml": "default: {before_script: [override]}\n",
    };
    expect(load(files).config?.jobs[0]?.beforeScript).toEqual(["defaults"]);
  });

  it("refuses a cycle with GitLab's limit instead of looping", () => {
    expect(
      problems({
        ".gitlab-ci.yml": "include: a.yml\n",
        "a.yml": "include: b.yml\n",
        "b.yml": "include: a.yml\n",
      }),
    ).toEqual(["b.yml:1:1: Maximum of 150 nested includes are allowed!"]);
  });

  it("refuses a wide include bomb with GitLab's limit", () => {
    const list = Array.from({ length: 151 }, () => "- ok.yml").join("\n");
    expect(problems({ ".gitlab-ci.yml": `include:\n${list}\n`, "ok.yml": "a: {script: x}\n" })).toEqual([
      ".gitlab-ci.yml:152:3: Maximum of 150 nested includes are allowed!",
    ]);
  });

  it("refuses a deep chain of 200 distinct files at the 151st", () => {
    const files: Record<string, string> = { ".gitlab-ci.yml": "include: f0.yml\n" };
    for (let i = 0; i < 200; i++) files[`f${i}.yml`] = `include: f${i + 1}.yml\nj${i}: {script: x}\n`;
    files["f200.yml"] = "last: {script: x}\n";
    expect(problems(files)).toEqual(["f149.yml:1:1: Maximum of 150 nested includes are allowed!"]);
  });

  it("refuses paths that leave the repository", () => {
    expect(problems({ ".gitlab-ci.yml": "include:\n  - local: ../secrets/ci.yml\n" })).toEqual([
      ".gitlab-ci.yml:2:5: Local file `../secrets/ci.yml` does not exist!",
    ]);
  });

  it("refuses an include naming two file types with GitLab's message", () => {
    expect(
      problems({ ".gitlab-ci.yml": "include:\n  - local: a.yml\n    remote: https://x.test/a.yml\n" }),
    ).toEqual([
      ".gitlab-ci.yml:2:5: Each include must use only one of: `local`, `project`, `remote`, `template`, `artifact`, `component`",
    ]);
  });
});
