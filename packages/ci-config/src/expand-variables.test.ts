// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitLab variable references are the subject here.
import { describe, expect, it } from "vitest";
import { expandExisting, expandRunner, expandVariableSet, referencedNames } from "./expand-variables.js";

// Expected values: https://docs.gitlab.com/ci/variables/where_variables_can_be_used/#expansion-mechanisms
// and GitLab's `Gitlab::Ci::Variables::Collection#sort_and_expand_all`.

describe("expandExisting (GitLab's server-side mechanism)", () => {
  it("replaces $VAR, ${VAR} and %VAR% of known variables and leaves unknown ones intact", () => {
    const vars = { A: "one", B: "two" };
    expect(expandExisting("$A/${B}/%A%/$C/${D}/%E%", vars)).toBe("one/two/one/$C/${D}/%E%");
  });

  it("leaves the $$ and %% escapes for the runner", () => {
    expect(expandExisting("$$A %%A%", { A: "x" })).toBe("$$A %%A%");
  });

  it("expands only once: a value holding a reference is not expanded again", () => {
    expect(expandExisting("$A", { A: "$B", B: "deep" })).toBe("$B");
  });
});

describe("expandRunner (GitLab Runner's os.Expand)", () => {
  it("replaces $VAR and ${VAR}, empties unknown names and turns $$ into $", () => {
    expect(expandRunner("$A-${A}-$MISSING-$$A", { A: "x" })).toBe("x-x--$A");
  });

  it("does not know %VAR% and keeps shell specials as written", () => {
    expect(expandRunner("%A% $1 $? ${A}", { A: "x" })).toBe("%A% $1 $? x");
  });
});

describe("expandVariableSet (nested expansion before a job is sent)", () => {
  it("expands variables within variables recursively, whatever their order", () => {
    // The doc's own example: PACKAGE_PATH arrives as a fully formed path.
    const result = expandVariableSet([
      { key: "PACKAGE_PATH", value: "${OUT_PATH}/pkg" },
      { key: "OUT_PATH", value: "${BUILD_ROOT_DIR}/out" },
      { key: "BUILD_ROOT_DIR", value: "/output" },
    ]);
    expect(result.ok).toBe(true);
    expect(result.variables.map((v) => [v.key, v.value])).toEqual([
      ["PACKAGE_PATH", "/output/out/pkg"],
      ["OUT_PATH", "/output/out"],
      ["BUILD_ROOT_DIR", "/output"],
    ]);
  });

  it("keeps raw values, references to raw and file variables, unknown names and escapes", () => {
    const result = expandVariableSet([
      { key: "G", value: "g" },
      { key: "RAW", value: "$G", raw: true },
      { key: "F", value: "content", file: true },
      { key: "USE", value: "$RAW|$F|$NOPE|$$G|$G" },
    ]);
    expect(Object.fromEntries(result.variables.map((v) => [v.key, v.value]))).toEqual({
      G: "g",
      RAW: "$G",
      F: "content",
      USE: "$RAW|$F|$NOPE|$$G|g",
    });
  });

  it("lets the later of two variables with the same key win", () => {
    const result = expandVariableSet([
      { key: "X", value: "global" },
      { key: "Y", value: "$X" },
      { key: "X", value: "job" },
    ]);
    expect(result.variables.find((v) => v.key === "Y")?.value).toBe("job");
  });

  it("reports a reference cycle in GitLab's words and expands nothing", () => {
    const result = expandVariableSet([
      { key: "A", value: "$B" },
      { key: "B", value: "${A}" },
      { key: "C", value: "$A" },
    ]);
    expect(result).toMatchObject({ ok: false, error: "circular variable reference detected: A, B" });
    expect(result.variables.map((v) => v.value)).toEqual(["$B", "${A}", "$A"]);
  });
});

describe("referencedNames", () => {
  it("lists the names a value refers to, without escapes", () => {
    expect(referencedNames("$A ${B} %C% $$D %%")).toEqual(["A", "B", "C"]);
  });
});
