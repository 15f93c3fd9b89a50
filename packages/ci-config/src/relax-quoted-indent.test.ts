import { describe, expect, it } from "vitest";
import { parseYaml } from "./parse-yaml.js";

const parse = (source: string) => {
  const parsed = parseYaml(".gitlab-ci.yml", source);
  return {
    value: parsed.value,
    problems: parsed.problems.items.map((p) => `${p.line}:${p.col}: ${p.message}`),
  };
};

// GitLab parses .gitlab-ci.yml with Psych, a libyaml binding; libyaml's scanner does not check the
// indentation of a quoted scalar's continuation lines (yaml_parser_scan_flow_scalar), so files such as
// GNOME's, whose closing quote sits under the `- `, run on GitLab. Expected values: what libyaml folds
// them into (PyYAML, which mirrors libyaml's scanner, gives the same).
describe("multi-line quoted scalars indented as libyaml allows", () => {
  it("reads a closing quote at the indentation of its dash", () => {
    const { value, problems } = parse(
      "job:\n  script:\n    - 'if true; then\n         echo yes;\n       fi\n    '\n",
    );
    expect(problems).toEqual([]);
    expect(value).toEqual({ job: { script: ["if true; then echo yes; fi "] } });
  });

  it("reads a double-quoted value continued at column 0", () => {
    const { value, problems } = parse('variables:\n  A: "one\ntwo"\nb: 1\n');
    expect(problems).toEqual([]);
    expect(value).toEqual({ variables: { A: "one two" }, b: 1 });
  });

  it("reads an anchored quoted scalar, then its alias", () => {
    const { value, problems } = parse(
      ".header: &header 'echo;\n       echo hi;\n    '\njob:\n  script:\n    - *header\n",
    );
    expect(problems).toEqual([]);
    expect(value).toEqual({ ".header": "echo; echo hi; ", job: { script: ["echo; echo hi; "] } });
  });

  it("leaves block scalars alone: a quote inside one opens nothing", () => {
    const { value, problems } = parse('job:\n  script:\n    - |\n      echo \'x\n    - "y\n     z"\n');
    expect(problems).toEqual([]);
    expect(value).toEqual({ job: { script: ["echo 'x\n", "y z"] } });
  });

  it("still reports a quote that is never closed", () => {
    expect(parse("job:\n  script: 'never closed\n").problems).toEqual(["3:1: Missing closing 'quote"]);
  });
});
