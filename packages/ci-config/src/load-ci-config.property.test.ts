import fc from "fast-check";
import { expect, it } from "vitest";
import { stringify } from "yaml";
import { createMemoryReader } from "./lint-ci-config.js";
import { loadCiConfig } from "./load-ci-config.js";
import { planPipeline } from "./plan-pipeline.js";
import { context } from "./test-support/plan-yaml.js";

const KEYS = [
  "script",
  "stage",
  "stages",
  "needs",
  "rules",
  "if",
  "when",
  "extends",
  "include",
  "local",
  "variables",
  "parallel",
  "matrix",
  "retry",
  "max",
  "allow_failure",
  "exit_codes",
  "only",
  "except",
  "refs",
  "default",
  "workflow",
  "artifacts",
  "paths",
  "timeout",
  "start_in",
  "dependencies",
  "job",
  ".hidden",
  "build",
  "test",
];
const scalar = fc.oneof(
  fc.constantFrom(
    "build",
    "test",
    "deploy",
    "manual",
    "delayed",
    "$CI",
    "$A == 'x'",
    "1h",
    "/re/",
    "a.yml",
    ".hidden",
  ),
  fc.integer({ min: -3, max: 300 }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 8 }),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 5 }),
  ),
}));

it("never throws on any config shape: every outcome is a problem list or a plannable config", () => {
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 }), (doc) => {
      const yaml = stringify(doc);
      const result = loadCiConfig({
        readFile: createMemoryReader({ ".gitlab-ci.yml": yaml, "a.yml": yaml }),
      });
      expect(result.config === null).toBe(result.problems.length > 0);
      for (const problem of result.problems) {
        expect(problem.line).toBeGreaterThanOrEqual(1);
        expect(problem.message.length).toBeGreaterThan(0);
      }
      if (result.config) planPipeline(result.config, context());
    }),
    { numRuns: 400 },
  );
});

it("never throws on arbitrary text", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => {
      const result = loadCiConfig({ readFile: createMemoryReader({ ".gitlab-ci.yml": text }) });
      expect(result.config === null).toBe(result.problems.length > 0);
    }),
    { numRuns: 300 },
  );
});
