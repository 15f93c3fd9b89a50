import { describe, expect, it } from "vitest";
import { createMemoryReader, formatProblem, lintCiConfig, lintCiSources } from "./lint-ci-config.js";

const lint = (yaml: string, files: Record<string, string> = {}): string[] =>
  lintCiConfig({ readFile: createMemoryReader({ ".gitlab-ci.yml": yaml, ...files }) }).problems.map(
    formatProblem,
  );

describe("lint reports every problem at its file, line and column with GitLab's wording", () => {
  it.each([
    [
      "a job without script",
      "build:\n  stage: build\n",
      [".gitlab-ci.yml:1:1: jobs build config should implement the script:, run:, or trigger: keyword"],
    ],
    [
      "a stage that is not a string",
      "test:\n  script: x\n  stage: [a]\n",
      [".gitlab-ci.yml:3:3: jobs:test:stage config should be a string"],
    ],
    [
      "a stage that does not exist",
      "rspec:\n  script: x\n  stage: lint\n",
      [
        ".gitlab-ci.yml:3:3: rspec job: chosen stage lint does not exist; available stages are .pre, build, test, deploy, .post",
      ],
    ],
    [
      "unknown job keys",
      "rspec:\n  script: x\n  something: wrong\n  other: 1\n",
      [".gitlab-ci.yml:3:3: jobs:rspec config contains unknown keys: something, other"],
    ],
    [
      "an undefined need",
      "x:\n  script: a\n  needs: [y]\n",
      [".gitlab-ci.yml:3:3: x job: undefined need: y"],
    ],
    [
      "a need in a later stage",
      "a:\n  stage: build\n  script: x\n  needs: [b]\nb:\n  stage: test\n  script: x\n",
      [".gitlab-ci.yml:4:3: a job: need b is not defined in current or prior stages"],
    ],
    [
      "a needs cycle",
      "a:\n  script: x\n  needs: [b]\nb:\n  script: x\n  needs: [a]\n",
      ['.gitlab-ci.yml:3:3: The pipeline has circular dependencies: topological sort failed: ["a", "b"]'],
    ],
    [
      "a job needing itself",
      "a:\n  script: x\n  needs: [a]\n",
      [".gitlab-ci.yml:3:3: The pipeline has circular dependencies: self-dependency: a"],
    ],
    [
      "duplicated needs",
      "a: {script: x}\nb:\n  script: x\n  needs: [a, a]\n",
      [".gitlab-ci.yml:4:3: b has the following needs duplicated: a."],
    ],
    [
      "an undefined dependency",
      "a:\n  script: x\n  dependencies: [zz]\n",
      [".gitlab-ci.yml:3:3: a job: undefined dependency: zz"],
    ],
    [
      "dependencies outside needs",
      "a: {script: x}\nc: {script: x}\nb:\n  script: x\n  needs: [a]\n  dependencies: [c]\n",
      [".gitlab-ci.yml:6:3: jobs:b dependencies the c should be part of needs"],
    ],
    [
      "no visible job",
      ".hidden:\n  script: x\n",
      [".gitlab-ci.yml:1:1: jobs config should contain at least one visible job"],
    ],
    [
      "a YAML syntax error",
      "a:\n  script: [x\nb: 1\n",
      [
        ".gitlab-ci.yml:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]",
      ],
    ],
    [
      "an unknown when",
      "a:\n  script: x\n  when: sometimes\n",
      [".gitlab-ci.yml:3:3: jobs:a when should be one of: on_success, on_failure, always, manual, delayed"],
    ],
    [
      "bad retry values",
      "a:\n  script: x\n  retry: 3\nb:\n  script: x\n  retry: {max: 1, when: [nope]}\nc:\n  script: x\n  retry: lots\n",
      [
        ".gitlab-ci.yml:3:3: jobs:a:retry config must be less than or equal to 2",
        ".gitlab-ci.yml:6:19: jobs:b:retry when contains unknown values: nope",
        ".gitlab-ci.yml:9:3: jobs:c:retry config has to be either an integer or a hash",
      ],
    ],
    [
      "a timeout that is not a duration",
      "a:\n  script: x\n  timeout: forever\n",
      [".gitlab-ci.yml:3:3: jobs:a:timeout config should be a duration"],
    ],
    [
      "bad allow_failure values",
      "a:\n  script: x\n  allow_failure: maybe\nb:\n  script: x\n  allow_failure: {exit_codes: [x]}\n",
      [
        ".gitlab-ci.yml:3:3: jobs:a:allow_failure config should be a hash or a boolean value",
        ".gitlab-ci.yml:6:19: jobs:b:allow_failure exit codes should be an array of integers or an integer",
      ],
    ],
    [
      "only together with rules",
      "a:\n  script: x\n  only: [main]\n  rules:\n    - when: always\n",
      [".gitlab-ci.yml:3:3: jobs:a config key may not be used with `rules`: only"],
    ],
    [
      "a bad rule",
      "a:\n  script: x\n  rules:\n    - if: $A = 'x'\n      when: sometimes\n",
      [
        ".gitlab-ci.yml:4:7: jobs:a:rules:rule if invalid expression syntax",
        ".gitlab-ci.yml:5:7: jobs:a:rules:rule when unknown value: sometimes",
      ],
    ],
    [
      "an unknown extends base",
      "a:\n  extends: .nope\n  script: x\n",
      [".gitlab-ci.yml:2:3: a: unknown keys in `extends` (.nope)"],
    ],
    [
      "an extends cycle",
      ".a:\n  extends: .b\n.b:\n  extends: .a\nj:\n  extends: .a\n  script: x\n",
      [".gitlab-ci.yml:2:3: .a: circular dependency detected in `extends`"],
    ],
    [
      "extends nested more than 10 levels",
      `${Array.from({ length: 13 }, (_, i) => `.t${i}:\n  extends: .t${i + 1}\n`).join("")}.t13:\n  script: x\njob:\n  extends: .t0\n`,
      [".gitlab-ci.yml:24:3: .t11: nesting too deep in `extends`"],
    ],
    [
      "a missing !reference",
      "a:\n  script: !reference [.nope, script]\n",
      ['.gitlab-ci.yml:2:22: !reference [".nope", "script"] could not be found'],
    ],
    [
      "a bad parallel",
      "a:\n  script: x\n  parallel: 500\nb:\n  script: x\n  parallel: {matrix: nope}\n",
      [
        ".gitlab-ci.yml:3:3: jobs:a:parallel config must be less than or equal to 200",
        ".gitlab-ci.yml:6:14: jobs:b:parallel:matrix config should be an array of hashes",
      ],
    ],
    [
      "bad variables",
      "variables:\n  A: [1]\na:\n  script: x\n  variables: true\n",
      [
        ".gitlab-ci.yml:2:3: variable definition must be either a string or a hash",
        ".gitlab-ci.yml:5:3: jobs:a:variables config should be a hash of key value pairs, value can be a hash",
      ],
    ],
    [
      // GitLab's `Entry::Variable::ComplexVariable` validations, one error per malformed variable.
      "malformed variable hashes",
      "variables:\n  A: {value: x, bogus: 1}\n  B: {value: [1]}\n  C: {value: x, expand: 'no'}\n  D: {value: x, options: [y, z]}\n  E: {value: x, options: y}\na:\n  script: x\n  variables:\n    F: {value: x, description: d}\n",
      [
        ".gitlab-ci.yml:2:3: variables:A config uses invalid data keys: bogus",
        ".gitlab-ci.yml:3:3: variables:B config value must be a scalar",
        ".gitlab-ci.yml:4:3: variables:C config expand should be a boolean value",
        ".gitlab-ci.yml:5:3: variables:D config value must be present in options",
        ".gitlab-ci.yml:6:3: variables:E config options should be an array of strings",
        ".gitlab-ci.yml:10:5: jobs:a:variables:F config uses invalid data keys: description",
      ],
    ],
    [
      "bad workflow",
      "workflow:\n  rules:\n    - when: manual\n  foo: 1\na: {script: x}\n",
      [
        ".gitlab-ci.yml:3:7: workflow:rules:rule when unknown value: manual",
        ".gitlab-ci.yml:4:3: workflow config contains unknown keys: foo",
      ],
    ],
    [
      "bad start_in",
      "a:\n  script: x\n  when: delayed\nb:\n  script: x\n  start_in: 1h\nc:\n  script: x\n  when: delayed\n  start_in: 2 weeks\n",
      [
        ".gitlab-ci.yml:2:3: jobs:a start in should be a duration",
        ".gitlab-ci.yml:6:3: jobs:b start in must be blank",
        ".gitlab-ci.yml:10:3: jobs:c start in should not exceed the limit",
      ],
    ],
    [
      "bad artifacts",
      "a:\n  script: x\n  artifacts:\n    paths: dist\n    when: sometimes\n    bogus: 1\n",
      [
        ".gitlab-ci.yml:4:5: jobs:a:artifacts paths should be an array of strings",
        ".gitlab-ci.yml:5:5: jobs:a:artifacts when should be one of: on_success, on_failure, always",
        ".gitlab-ci.yml:6:5: jobs:a:artifacts config contains unknown keys: bogus",
      ],
    ],
    [
      "bad only",
      "a:\n  script: x\n  only: {refs: ['/(/'], foo: 1}\n",
      [
        ".gitlab-ci.yml:3:3: jobs:a:only config should be an array of strings or regular expressions",
        ".gitlab-ci.yml:3:25: jobs:a:only config contains unknown keys: foo",
      ],
    ],
    [
      "unknown default keys",
      "default:\n  scrip: x\na: {script: x}\n",
      [".gitlab-ci.yml:2:3: default config contains unknown keys: scrip"],
    ],
    [
      "stages that are not a list",
      "stages: build\na: {script: x}\n",
      [".gitlab-ci.yml:1:1: stages config should be an array of strings"],
    ],
    ["a script left empty", "a:\n  script:\n", [".gitlab-ci.yml:2:3: jobs:a script can't be blank"]],
    ["an empty file", "", [".gitlab-ci.yml:1:1: Please provide content of .gitlab-ci.yml"]],
    ["a file that is not a hash", "- a\n- b\n", [".gitlab-ci.yml:1:1: Invalid configuration format"]],
    [
      "a script that is a hash",
      "a:\n  script: {a: 1}\n",
      [
        ".gitlab-ci.yml:2:3: jobs:a:script config should be a string or a nested array of strings up to 10 levels deep",
      ],
    ],
  ])("%s", (_name, yaml, expected) => {
    expect(lint(yaml)).toEqual(expected);
  });

  it("collects problems from several jobs in file order instead of stopping at the first", () => {
    expect(
      lint("a:\n  script: x\n  when: nope\nb:\n  stage: 1\nc:\n  script: x\n  stage: nowhere\n"),
    ).toEqual([
      ".gitlab-ci.yml:3:3: jobs:a when should be one of: on_success, on_failure, always, manual, delayed",
      ".gitlab-ci.yml:4:1: jobs b config should implement the script:, run:, or trigger: keyword",
      ".gitlab-ci.yml:8:3: c job: chosen stage nowhere does not exist; available stages are .pre, build, test, deploy, .post",
    ]);
  });

  it("points into included files", () => {
    expect(
      lint("include:\n  - local: ci/jobs.yml\n", {
        "ci/jobs.yml": "lint:\n  script: x\n  retry: 9\n",
      }),
    ).toEqual(["ci/jobs.yml:3:3: jobs:lint:retry config must be less than or equal to 2"]);
  });

  it("stops at an include that fails, without follow-on errors from the jobs that use it", () => {
    // GitLab stops validating at the include error: https://docs.gitlab.com/ci/yaml/includes/
    expect(lint("include:\n  - missing.yml\nrspec:\n  extends: .from-missing\n  retry: 9\n")).toEqual([
      ".gitlab-ci.yml:2:5: Local file `missing.yml` does not exist!",
    ]);
  });

  it("reports include files that are broken, not YAML, empty or including themselves", () => {
    expect(
      lint("include: [bad.yml, notes.txt, ok.yml, ok.yml, empty.yml, loop.yml]\na: {script: x}\n", {
        "bad.yml": "a: [",
        "ok.yml": "b: {script: y}\n",
        "empty.yml": "# nothing yet\n",
        "loop.yml": "include: loop.yml\n",
      }),
    ).toEqual([
      ".gitlab-ci.yml:1:11: `bad.yml`: Flow sequence in block collection must be sufficiently indented and end with a ]",
      ".gitlab-ci.yml:1:20: Included file `notes.txt` does not have YAML extension!",
      ".gitlab-ci.yml:1:47: Local file `empty.yml` is empty!",
      "loop.yml:1:1: Maximum of 150 nested includes are allowed!",
    ]);
  });

  it("says a valid config is valid and still warns about what it will not run", () => {
    const result = lintCiConfig({
      readFile: createMemoryReader({
        ".gitlab-ci.yml": "a: {script: x}\nsteps:\n  run: [{ name: s, script: x }]\n",
      }),
    });
    expect(result.valid).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.warnings.map(formatProblem)).toEqual([
      ".gitlab-ci.yml:2:1: jobs:steps uses run: (CI/CD steps), which are not run locally; the job is left out",
    ]);
  });

  it("counts extends depth from the job that starts the chain, wherever the templates are", () => {
    // The templates alone chain 10 levels deep, which is allowed; the job on top makes it 11.
    const templates = Array.from({ length: 11 }, (_, i) => `.t${i + 1}:\n  extends: .t${i + 2}\n`).join("");
    expect(lint(`${templates}.t12:\n  script: x\njob:\n  extends: .t1\n`)).toEqual([
      ".gitlab-ci.yml:22:3: .t11: nesting too deep in `extends`",
    ]);
  });

  it("warns about keywords that do nothing locally once per keyword, naming the jobs", () => {
    const result = lintCiConfig({
      readFile: createMemoryReader({
        ".gitlab-ci.yml": [
          "default:\n  cache: { paths: [x] }",
          "a:\n  script: x\n  environment: production\n  release: { tag_name: v1, description: d }",
          "b:\n  script: x\n  release: { tag_name: v2, description: d }\n  secrets: { TOKEN: { vault: a/b@c } }",
          "",
        ].join("\n"),
      }),
    });
    expect(result.valid).toBe(true);
    // `cache:` works locally now (the runner keeps caches under the data dir): no warning for it.
    expect(result.warnings.map(formatProblem)).toEqual([
      ".gitlab-ci.yml:6:3: release: is accepted, but a local run creates no releases (jobs a, b)",
      ".gitlab-ci.yml:10:3: secrets: is accepted, but a local run fetches no secrets: the jobs get no secret variables (job b)",
    ]);
  });

  it("warns about changes:compare_to and exists:project, which only GitLab can answer", () => {
    const result = lintCiConfig({
      readFile: createMemoryReader({
        ".gitlab-ci.yml":
          "a:\n  script: x\n  rules:\n    - changes: { paths: [src/*], compare_to: main }\n    - exists: { paths: [x], project: g/p }\n",
      }),
    });
    expect(result.valid).toBe(true);
    expect(result.warnings.map(formatProblem)).toEqual([
      ".gitlab-ci.yml:4:34: jobs:a:rules:rule:changes compare_to is not supported locally and is ignored",
      ".gitlab-ci.yml:5:29: jobs:a:rules:rule:exists project is not supported locally and is ignored",
    ]);
  });

  it("warns when YAML documents after the first are ignored", () => {
    const result = lintCiSources({
      ".gitlab-ci.yml": "spec:\n  inputs: {}\n---\na: {script: x}\n---\nb: {script: y}\n",
    });
    expect(result.warnings.map(formatProblem)).toEqual([
      ".gitlab-ci.yml:5:1: only the first YAML document is read; later ones are ignored, as in GitLab",
    ]);
  });

  it("reports a !reference to a null value as missing", () => {
    expect(lint(".a: { script: null }\nj:\n  script: !reference [.a, script]\n")).toEqual([
      '.gitlab-ci.yml:3:22: !reference [".a", "script"] could not be found',
    ]);
  });

  it("checks needs given under rules", () => {
    expect(lint("a:\n  script: x\n  rules:\n    - needs: [ghost]\n")).toEqual([
      ".gitlab-ci.yml:3:3: a job: undefined need: ghost",
    ]);
  });

  it("lints in-memory sources with another entry file", () => {
    const result = lintCiSources(
      { "ci/main.yml": "include: ci/more.yml\n", "ci/more.yml": "a: {script: x, when: soon}\n" },
      "ci/main.yml",
    );
    expect(result.problems.map(formatProblem)).toEqual([
      "ci/more.yml:1:16: jobs:a when should be one of: on_success, on_failure, always, manual, delayed",
    ]);
  });

  it("names the flag that would resolve an include it cannot fetch offline", () => {
    expect(
      lint(
        "include:\n  - remote: https://example.com/ci.yml\n  - template: Auto-DevOps.gitlab-ci.yml\na: {script: x}\n",
      ),
    ).toEqual([
      ".gitlab-ci.yml:2:5: Remote file `https://example.com/ci.yml` is not available offline: map it in .buildsim/includes.yml (--include-map) or allow network access",
      ".gitlab-ci.yml:3:5: Template file `Auto-DevOps.gitlab-ci.yml` is not available offline: map it in .buildsim/includes.yml (--include-map) or give --gitlab-url",
    ]);
  });
});
