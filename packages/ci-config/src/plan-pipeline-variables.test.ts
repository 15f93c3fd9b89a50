// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitLab variable references are the subject here.
import { describe, expect, it } from "vitest";
import { job, jobsOf, names, variable } from "./test-support/plan-yaml.js";

describe("variables in the file", () => {
  it("keeps booleans, numbers and nulls as the strings GitLab stores (Ruby's to_s)", () => {
    // https://docs.gitlab.com/ci/yaml/#variables: "value … string, integer or boolean"; GitLab's
    // `Entry::Variable::SimpleVariable#value` is `@config.to_s`.
    const [only] = jobsOf(
      "variables:\n  FF_TIMESTAMPS: true\n  OFF: no\n  N: 3\n  EMPTY:\nj: { script: x }\n",
    );
    expect(["FF_TIMESTAMPS", "OFF", "N", "EMPTY"].map((k) => variable(only!, k))).toEqual([
      "true",
      "false",
      "3",
      "",
    ]);
  });

  it("writes YAML floats as Ruby's Float#to_s does, so 1.0 stays 1.0", () => {
    // GitLab reads YAML with Psych (1.0 is a Float) and stores `@config.to_s`: 1.0.to_s == "1.0",
    // 1.50.to_s == "1.5", 1e20 as a float is "1.0e+20", 0.00001 is "1.0e-05"; `1e3` has no dot, which
    // Psych's float pattern requires, so it stays the string "1e3".
    const [only] = jobsOf(`
variables:
  A: 1.0
  B: 1.50
  C: 100000000000000000000.0
  D: 0.00001
  E: 0.0001
  F: 1e3
  G: { value: 2.0, description: pinned }
  H: 1234567890123456.0
j:
  script: x
  variables: { J: 3.0 }
`);
    expect(["A", "B", "C", "D", "E", "F", "G", "H", "J"].map((k) => variable(only!, k))).toEqual([
      "1.0",
      "1.5",
      "1.0e+20",
      "1.0e-05",
      "0.0001",
      "1e3",
      "2.0",
      "1234567890123456.0",
      "3.0",
    ]);
  });

  it("marks expand: false variables raw and keeps description/options values", () => {
    // https://docs.gitlab.com/ci/yaml/#variablesexpand
    const [only] = jobsOf(`
variables:
  RAW: { value: "$HOME/x", expand: false }
  PICK: { value: b, options: [a, b], description: Which }
j: { script: x }
`);
    expect(only!.variables.find((v) => v.key === "RAW")).toEqual({
      key: "RAW",
      value: "$HOME/x",
      public: true,
      raw: true,
    });
    expect(variable(only!, "PICK")).toBe("b");
  });
});

describe("rules:if and nested variables", () => {
  it("compares against the expanded value of a variable that references another", () => {
    // GitLab expands variables within variables before evaluating rules:if (MR 204549, issue 327780).
    const jobs = jobsOf(`
variables:
  MAIN_BRANCH: "\${CI_DEFAULT_BRANCH}"
  NESTED: "$GLOBAL-nested"
  GLOBAL: g
on-main: { script: x, rules: [{ if: $CI_COMMIT_BRANCH == $MAIN_BRANCH }] }
nested: { script: x, rules: [{ if: $NESTED == "g-nested" }] }
escaped: { script: x, variables: { E: "$$GLOBAL" }, rules: [{ if: $E == "$$GLOBAL" }] }
`);
    expect(names(jobs)).toEqual(["on-main", "nested", "escaped"]);
  });

  it("does not expand a raw variable before comparing", () => {
    const jobs = jobsOf(`
variables:
  G: g
  RAW: { value: "$G", expand: false }
raw: { script: x, rules: [{ if: $RAW == "$G" }] }
`);
    expect(names(jobs)).toEqual(["raw"]);
  });

  it("lets rules see project variables over the file's and pipeline variables over both", () => {
    // https://docs.gitlab.com/ci/variables/#cicd-variable-precedence: pipeline > project > job > global.
    const file = `
variables: { WHO: file, ALSO: file }
a: { script: x, rules: [{ if: $WHO == "project" && $ALSO == "pipeline" }] }
`;
    const jobs = jobsOf(file, {
      projectVariables: [
        { key: "WHO", value: "project" },
        { key: "ALSO", value: "project" },
      ],
      variables: { ALSO: "pipeline" },
    });
    expect(names(jobs)).toEqual(["a"]);
  });

  it("keeps a pipeline variable's file and raw types on every job, and never expands a raw one in rules", () => {
    // GitLab's `Ci::PipelineTriggerService#payload_variable`: TRIGGER_PAYLOAD is `variable_type: :file`
    // and (since gitlab-org/gitlab!146242, before 17.0) `raw: true`, so `$X` in a webhook body stays literal.
    const file = `
variables: { X: secret }
a:
  script: x
  rules:
    - if: $TRIGGER_PAYLOAD == "k=$X"
`;
    const [a] = jobsOf(file, {
      variables: { TRIGGER_PAYLOAD: "k=$X", PLAIN: "$X" },
      variableOptions: { TRIGGER_PAYLOAD: { file: true, raw: true } },
    });
    expect(a!.variables.filter((v) => !v.public)).toEqual([
      { key: "TRIGGER_PAYLOAD", value: "k=$X", public: false, raw: true, file: true },
      { key: "PLAIN", value: "$X", public: false },
    ]);
  });

  it("expands variables in rules:exists paths, nested ones too", () => {
    // GitLab issue 411344: nested variables in rules:exists are expanded.
    const seen: string[][] = [];
    jobsOf(
      `
variables: { DIR: deploy, PATH_TO: "$DIR/test.yml" }
a: { script: x, rules: [{ exists: ["$PATH_TO"] }, { when: always }] }
`,
      {
        exists: (globs) => {
          seen.push([...globs]);
          return true;
        },
      },
    );
    expect(seen).toEqual([["deploy/test.yml"]]);
  });

  it("gives every job CI_NODE_TOTAL=1 without parallel", () => {
    // https://docs.gitlab.com/ci/variables/predefined_variables/: CI_NODE_TOTAL "Equal to 1 if the job is
    // not parallelized".
    const jobs = jobsOf("a: { script: x }\nb: { script: x, parallel: 2 }\n");
    expect(variable(job(jobs, "a"), "CI_NODE_TOTAL")).toBe("1");
    expect(variable(job(jobs, "a"), "CI_NODE_INDEX")).toBeUndefined();
    expect(variable(job(jobs, "b 2/2"), "CI_NODE_INDEX")).toBe("2");
  });
});
