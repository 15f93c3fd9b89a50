// A keyword written with no value (`before_script:` followed by nothing) is valid GitLab: it is "not given".
import { describe, expect, it } from "vitest";
import { createMemoryReader, formatProblem, lintCiSources } from "./lint-ci-config.js";
import { loadCiConfig } from "./load-ci-config.js";

const lint = (yaml: string): string[] =>
  lintCiSources({ ".gitlab-ci.yml": yaml }).problems.map(formatProblem);

// GitLab creates each config entry through Gitlab::Config::Entry::Factory#create!, which turns a nil
// value into Entry::Unspecified ("We assume that unspecified entry is undefined", issue #18775):
// lib/gitlab/config/entry/factory.rb. YAML's `key:` with nothing after it is nil.
describe("keywords without a value", () => {
  it.each(["before_script", "after_script", "image", "services", "cache", "default", "stages", "workflow"])(
    "accepts a root %s: with no value as if it were absent",
    (key) => {
      expect(lint(`${key}:\njob:\n  script: make\n`)).toEqual([]);
    },
  );

  it("lets a later empty root before_script: replace an earlier one, as Psych keeps the last key", () => {
    const { config, problems } = loadCiConfig({
      readFile: createMemoryReader({
        ".gitlab-ci.yml":
          "before_script:\n  - docker info\nstages: [build]\nbefore_script:\njob:\n  stage: build\n  script: make\n",
      }),
    });
    expect(problems).toEqual([]);
    expect(config?.jobs[0]?.beforeScript ?? []).toEqual([]);
  });

  it("accepts empty keys inside default: and workflow:", () => {
    expect(lint("default:\n  image:\n  tags:\nworkflow:\n  rules:\njob:\n  script: make\n")).toEqual([]);
  });

  // Processable validates `extends` with allow_nil, and Extendable::Entry reads it as Array(nil):
  // lib/gitlab/ci/config/entry/processable.rb, lib/gitlab/ci/config/extendable/entry.rb
  it("accepts extends: with no value as extending nothing", () => {
    expect(lint("job:\n  extends:\n  script: make\n")).toEqual([]);
  });

  // Job.matching? only asks whether the key is there; Job then validates script's presence.
  it("still refuses a job whose script: has no value, as GitLab does", () => {
    expect(lint("job:\n  script:\n")).toEqual([".gitlab-ci.yml:2:3: jobs:job script can't be blank"]);
  });
});
