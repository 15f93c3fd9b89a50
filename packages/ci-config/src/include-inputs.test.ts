import { describe, expect, it } from "vitest";
import { OFFLINE_SOURCES } from "./include-sources.js";
import { posixEscape } from "./interpolate-inputs.js";
import { createMemoryReader, formatProblem } from "./lint-ci-config.js";
import { loadCiConfig } from "./load-ci-config.js";

// A template with inputs of every type, as in https://docs.gitlab.com/ci/inputs/
const TEMPLATE = `spec:
  inputs:
    stage:
      default: test
    environment:
      options: [staging, production]
    version:
      regex: ^v\\d+\\.\\d+$
    replicas:
      type: number
      default: 2
    dry_run:
      type: boolean
      default: false
    targets:
      type: array
      default: [linux]
---
"deploy-$[[ inputs.environment ]]":
  stage: $[[ inputs.stage ]]
  parallel: $[[ inputs.replicas ]]
  script:
    - deploy --version $[[ inputs.version ]] --dry-run=$[[ inputs.dry_run ]] --targets '$[[ inputs.targets ]]'
`;

const load = (main: string, files: Record<string, string> = {}, variables: Record<string, string> = {}) =>
  loadCiConfig({
    readFile: createMemoryReader({ ".gitlab-ci.yml": main, "templates/deploy.yml": TEMPLATE, ...files }),
    variables,
  });
const problems = (main: string, files: Record<string, string> = {}) =>
  load(main, files).problems.map(formatProblem);
const include = (inputs: string) => `include:\n  - local: templates/deploy.yml\n    inputs: ${inputs}\n`;

describe("include:inputs with spec:inputs", () => {
  it("interpolates inputs into keys and values, keeping a whole-value input's type", () => {
    const result = load(include("{environment: production, version: v1.2, replicas: 3}"));
    expect(result.problems).toEqual([]);
    const jobs = result.config!.jobs;
    expect(jobs.map((j) => [j.name, j.stage])).toEqual([
      ["deploy-production 1/3", "test"],
      ["deploy-production 2/3", "test"],
      ["deploy-production 3/3", "test"],
    ]);
    expect(jobs[0]!.script).toEqual(["deploy --version v1.2 --dry-run=false --targets '[\"linux\"]'"]);
  });

  it("reports a missing required input in GitLab's words at the include", () => {
    expect(problems(include("{environment: staging}"))).toEqual([
      ".gitlab-ci.yml:2:5: `templates/deploy.yml`: `version` input: required value has not been provided",
    ]);
  });

  it("reports values outside options, failing the regex, of the wrong type or unknown", () => {
    expect(problems(include("{environment: qa, version: '1.2', replicas: many, colour: red}"))).toEqual([
      ".gitlab-ci.yml:2:5: `templates/deploy.yml`: unknown input arguments: colour, `environment` input: `qa` cannot be used because it is not in the list of allowed options, `version` input: provided value does not match required RegEx pattern, `replicas` input: provided value is not a number",
    ]);
  });

  it("refuses inputs for a file without a spec header", () => {
    expect(
      problems("include:\n  - local: plain.yml\n    inputs: {a: 1}\n", { "plain.yml": "a: {script: x}\n" }),
    ).toEqual([
      ".gitlab-ci.yml:2:5: `plain.yml`: Given inputs not defined in the `spec` section of the included configuration file",
    ]);
  });

  it("refuses an unknown input type in the header", () => {
    const header = "spec:\n  inputs:\n    a: {type: list}\n---\nj: {script: x}\n";
    expect(problems("include: t.yml\n", { "t.yml": header })).toEqual([
      ".gitlab-ci.yml:1:1: `t.yml`: header:spec:inputs:a input type unknown value: list",
    ]);
  });
});

describe("spec:inputs rules", () => {
  // GitLab 18.7+ conditional inputs (https://docs.gitlab.com/ci/yaml/#specinputsrules): the first rule
  // whose `if` holds for the other inputs (`$[[ inputs.NAME ]]`, Expression::Lexeme::Input) gives the
  // options and default; a rule without `if` is the fallback. Messages: Header::Input::Rules::Rule.
  const RULED = `spec:
  inputs:
    provider:
      options: [aws, gcp]
    instance:
      rules:
        - if: $[[ inputs.provider ]] == 'aws'
          options: [t3.micro, t3.small]
          default: t3.micro
        - options: [e2-small]
          default: e2-small
---
vm:
  script: create $[[ inputs.instance ]]
`;
  const loadRuled = (inputs: string) =>
    load(`include:\n  - local: ruled.yml\n    inputs: ${inputs}\n`, { "ruled.yml": RULED });
  const script = (inputs: string) => {
    const { config } = loadRuled(inputs);
    return config?.jobs.find((j) => j.name === "vm")?.script;
  };

  it("takes the options and default of the first rule that holds", () => {
    expect(script("{provider: aws}")).toEqual(["create t3.micro"]);
    expect(script("{provider: aws, instance: t3.small}")).toEqual(["create t3.small"]);
    expect(script("{provider: gcp}")).toEqual(["create e2-small"]);
  });

  it("refuses a value outside the matching rule's options", () => {
    expect(loadRuled("{provider: gcp, instance: t3.small}").problems.map(formatProblem)).toEqual([
      expect.stringContaining(
        "`instance` input: `t3.small` cannot be used because it is not in the list of allowed options",
      ),
    ]);
  });

  const ruledProblems = (file: string) =>
    load(`include:\n  - local: ruled.yml\n    inputs: {provider: aws}\n`, { "ruled.yml": file }).problems.map(
      (p) => p.message.replace(/^`ruled.yml`: /, ""),
    );

  it("refuses rules beside options or default in GitLab's words, checking no rule then", () => {
    const bad = RULED.replace("      rules:", "      default: x\n      options: [x]\n      rules:").replace(
      "$[[ inputs.provider ]] == 'aws'",
      "inputs.provider ==",
    );
    // One problem for the include, its header's errors joined as GitLab joins them.
    expect(ruledProblems(bad)).toEqual([
      "header:spec:inputs:instance config these keys cannot be used together: options, rules, " +
        "header:spec:inputs:instance config these keys cannot be used together: default, rules",
    ]);
  });

  it("refuses an if outside the expression language, a bare inputs.NAME included", () => {
    const bare = RULED.replace("$[[ inputs.provider ]] == 'aws'", "inputs.provider == 'aws'");
    expect(ruledProblems(bare)).toEqual([
      "header:spec:inputs:instance:rules:rule if invalid expression syntax",
    ]);
  });

  it("wants a default in every rule, inside its options, and says so downcased as GitLab prints it", () => {
    const noDefault = RULED.replace("          default: t3.micro\n", "");
    expect(ruledProblems(noDefault)).toEqual([
      "header:spec:inputs:instance:rules:rule rule must define 'options' with at least one value and a 'default'",
    ]);
    const outside = RULED.replace("default: t3.micro", "default: T3.Large");
    expect(ruledProblems(outside)).toEqual([
      "header:spec:inputs:instance:rules:rule default 't3.large' must be one of the options",
    ]);
  });

  it("checks the shape of rules and of each rule", () => {
    const notArray = RULED.replace(/ {6}rules:\n[\s\S]*?---/, "      rules: {if: x}\n---");
    expect(ruledProblems(notArray)).toEqual(["header:spec:inputs:instance:rules config should be a array"]);
    const unknownKey = RULED.replace(
      "          default: e2-small",
      "          default: e2-small\n          when: never",
    );
    expect(ruledProblems(unknownKey)).toEqual([
      "header:spec:inputs:instance:rules:rule config contains unknown keys: when",
    ]);
    const many = `spec:\n  inputs:\n    a:\n      options: [${Array.from({ length: 51 }, (_, i) => i).join(", ")}]\n---\nj: {script: x}\n`;
    expect(ruledProblems(many)).toEqual(["header:spec:inputs:a config cannot define more than 50 options"]);
  });
});

describe("interpolation functions", () => {
  // https://docs.gitlab.com/ci/inputs/#predefined-interpolation-functions
  const template = (expr: string) =>
    `spec:\n  inputs:\n    name: {default: 'my-Project $CI_PROJECT_NAME'}\n---\nj:\n  script: ["echo ${expr}"]\n`;
  const script = (expr: string) =>
    load("include: t.yml\n", { "t.yml": template(expr) }, { CI_PROJECT_NAME: "demo" }).config?.jobs[0]
      ?.script;

  it("applies expand_vars, truncate and posix_escape in order", () => {
    expect(script("$[[ inputs.name | expand_vars ]]")).toEqual(["echo my-Project demo"]);
    expect(script("$[[ inputs.name | truncate(3,7) ]]")).toEqual(["echo Project"]);
    expect(script("$[[ inputs.name | expand_vars | truncate(11,4) | posix_escape ]]")).toEqual(["echo demo"]);
    expect(posixEscape("a b'c")).toBe("a\\ b\\'c");
  });

  it("refuses more than three functions and unknown keys or functions", () => {
    const errors = (expr: string) =>
      load("include: t.yml\n", { "t.yml": template(expr) }).problems.map((p) => p.message);
    expect(errors("$[[ inputs.name | posix_escape | posix_escape | posix_escape | posix_escape ]]")).toEqual([
      "`t.yml`: too many functions in interpolation block",
    ]);
    expect(errors("$[[ inputs.nope ]]")).toEqual(["`t.yml`: unknown interpolation key: `nope`"]);
    expect(errors("$[[ inputs.name | upcase ]]")).toEqual([
      "`t.yml`: no function matching `upcase`: check that the function name, arguments, and types are correct",
    ]);
  });
});

describe("components' spec header", () => {
  it("reads a component template through the sources, with the header's defaults", () => {
    const result = loadCiConfig({
      readFile: createMemoryReader({
        ".gitlab-ci.yml": "include:\n  - component: gitlab.test/acme/ci/lint@1.0\n",
      }),
      sources: {
        ...OFFLINE_SOURCES,
        component: () => ({
          ok: true,
          content:
            "spec:\n  inputs:\n    stage: {default: test}\n---\nlint:\n  stage: $[[ inputs.stage ]]\n  script: [lint]\n",
        }),
      },
    });
    expect(result.problems).toEqual([]);
    expect(result.config?.jobs.map((j) => [j.name, j.stage])).toEqual([["lint", "test"]]);
  });
});

describe("spec:include", () => {
  // https://docs.gitlab.com/ci/inputs/#define-pipeline-inputs-in-external-files
  it("reads input definitions from another file, the header's own inputs winning", () => {
    const result = loadCiConfig({
      readFile: createMemoryReader({
        ".gitlab-ci.yml":
          "spec:\n  include:\n    - local: ci/inputs.yml\n  inputs:\n    environment: {default: production}\n---\n$[[ inputs.prefix ]]-deploy:\n  script: ['deploy $[[ inputs.environment ]] x$[[ inputs.replicas ]]']\n",
        "ci/inputs.yml":
          "inputs:\n  prefix: {default: app}\n  environment: {default: staging}\n  replicas: {type: number, default: 3}\n",
      }),
    });
    expect(result.problems).toEqual([]);
    expect(result.config?.jobs.map((j) => [j.name, j.script])).toEqual([
      ["app-deploy", ["deploy production x3"]],
    ]);
  });

  it("reports a missing inputs file at the header", () => {
    const result = loadCiConfig({
      readFile: createMemoryReader({
        ".gitlab-ci.yml": "spec:\n  include:\n    - local: ci/none.yml\n---\nj: {script: x}\n",
      }),
    });
    expect(result.problems.map(formatProblem)).toEqual([
      ".gitlab-ci.yml:1:1: Local file `ci/none.yml` does not exist!",
    ]);
  });
});
