import { expect, it } from "vitest";
import { createMemoryReader, formatProblem, lintCiConfig } from "./lint-ci-config.js";

const lint = (yaml: string): string[] =>
  lintCiConfig({ readFile: createMemoryReader({ ".gitlab-ci.yml": yaml }) }).problems.map(formatProblem);

it.each([
  [
    "an extends base that is not a hash",
    ".a: [1]\nj:\n  extends: .a\n  script: x\n",
    [".gitlab-ci.yml:3:3: j: invalid base hashes in `extends` (.a)"],
  ],
  [
    "extends that is not a string or list",
    "j:\n  extends: {a: 1}\n  script: x\n",
    [".gitlab-ci.yml:2:3: jobs:j extends should be an array of strings or a string"],
  ],
  [
    "a !reference cycle",
    ".a:\n  script: !reference [.a, script]\nj:\n  script: !reference [.a, script]\n",
    ['.gitlab-ci.yml:2:22: !reference [".a", "script"] is part of a circular chain'],
  ],
  [
    "bad rule keys and start_in",
    "a:\n  script: x\n  rules:\n    - when: delayed\n    - if: $A\n      start_in: 1h\n      bogus: 2\n",
    [
      ".gitlab-ci.yml:4:7: jobs:a:rules:rule start in can't be blank",
      ".gitlab-ci.yml:6:7: jobs:a:rules:rule config contains disallowed keys: start_in",
      ".gitlab-ci.yml:7:7: jobs:a:rules:rule config contains unknown keys: bogus",
    ],
  ],
  [
    "rules that are not a list",
    "a:\n  script: x\n  rules: {if: $A}\n",
    [".gitlab-ci.yml:3:3: jobs:a rules should be an array of hashes"],
  ],
  [
    "a dependency in a later stage",
    "a:\n  stage: build\n  script: x\n  dependencies: [b]\nb:\n  stage: test\n  script: x\n",
    [".gitlab-ci.yml:4:3: a job: dependency b is not defined in current or prior stages"],
  ],
  [
    "tags that are not a list",
    "a:\n  script: x\n  tags: docker\n",
    [".gitlab-ci.yml:3:3: jobs:a:tags config should be an array of strings"],
  ],
  [
    "a bad image and services",
    "a:\n  script: x\n  image: [1]\n  services: nope\n",
    [
      ".gitlab-ci.yml:3:3: jobs:a:image config should be a hash or a string",
      ".gitlab-ci.yml:4:3: jobs:a:services config should be a array",
    ],
  ],
  [
    "a coverage that is not a regex",
    "a:\n  script: x\n  coverage: 'total'\n",
    [".gitlab-ci.yml:3:3: jobs:a:coverage config must be a regular expression"],
  ],
  [
    "a non-boolean interruptible",
    "a:\n  script: x\n  interruptible: sometimes\n",
    [".gitlab-ci.yml:3:3: jobs:a:interruptible config should be a boolean value"],
  ],
  [
    "a bad inherit",
    "a:\n  script: x\n  inherit: { default: maybe, other: 1 }\n",
    [
      ".gitlab-ci.yml:3:14: jobs:a:inherit:default config should be a boolean value or an array of strings",
      ".gitlab-ci.yml:3:30: jobs:a:inherit config contains unknown keys: other",
    ],
  ],
  [
    "needs that are not a list, or a need without a job",
    "a:\n  script: x\n  needs: b\nc:\n  script: x\n  needs: [{artifacts: true}]\n",
    [
      ".gitlab-ci.yml:3:3: jobs:a:needs config should be an array",
      // Entry::Need::UnknownStrategy (lib/gitlab/ci/config/entry/need.rb).
      ".gitlab-ci.yml:6:11: jobs:c:needs:need has an unsupported type",
    ],
  ],
  [
    "a merge key that is not a mapping",
    "a:\n  <<: [1]\n  script: x\n",
    [".gitlab-ci.yml:2:8: merge key `<<` needs a mapping or a list of mappings"],
  ],
  [
    "retry max out of range and unknown retry keys",
    "a:\n  script: x\n  retry: {max: 5, foo: 1}\n",
    [
      ".gitlab-ci.yml:3:3: jobs:a:retry max must be less than or equal to 2",
      ".gitlab-ci.yml:3:19: jobs:a:retry config contains unknown keys: foo",
    ],
  ],
  [
    "unknown allow_failure keys",
    "a:\n  script: x\n  allow_failure: {codes: 1}\n",
    [".gitlab-ci.yml:3:19: jobs:a:allow_failure config contains unknown keys: codes"],
  ],
  [
    "bad artifact reports and expiry",
    "a:\n  script: x\n  artifacts:\n    reports: {dotenv: 1, junit: {x: 1}}\n    expire_in: someday\n",
    [
      ".gitlab-ci.yml:4:15: jobs:a:artifacts:reports dotenv should be an array of strings or a string",
      ".gitlab-ci.yml:4:26: jobs:a:artifacts:reports junit should be an array of strings or a string",
      ".gitlab-ci.yml:5:5: jobs:a:artifacts expire in should be a duration",
    ],
  ],
  [
    "only that is neither a list nor a hash",
    "a:\n  script: x\n  only: 1\n",
    [".gitlab-ci.yml:3:3: jobs:a:only has to be either an array of conditions or a hash"],
  ],
  [
    "an invalid except:variables expression",
    "a:\n  script: x\n  except: {variables: ['$A ==']}\n",
    [".gitlab-ci.yml:3:12: jobs:a:except:variables config should be an array of valid expressions"],
  ],
  [
    "workflow, default and include of the wrong type",
    "workflow: [1]\ndefault: 1\ninclude: 1\na: {script: x}\n",
    // An include error stops validation, as GitLab does.
    [
      ".gitlab-ci.yml:3:1: include config should be a hash, a string or an array containing hashes and strings",
    ],
  ],
  [
    "a matrix that makes more than 200 jobs",
    `a:\n  script: x\n  parallel:\n    matrix:\n      - A: [${Array.from({ length: 21 }, (_, i) => i).join(",")}]\n        B: [0,1,2,3,4,5,6,7,8,9]\n`,
    [".gitlab-ci.yml:4:5: jobs:a:parallel:matrix config generates too many jobs (maximum is 200)"],
  ],
  [
    "bad default timeout and retry",
    "default:\n  timeout: never ever\n  retry: 9\na: {script: x}\n",
    [
      ".gitlab-ci.yml:2:3: default:timeout config should be a duration",
      ".gitlab-ci.yml:3:3: default:retry config must be less than or equal to 2",
    ],
  ],
  [
    "a script line YAML reads as a boolean",
    "a:\n  script:\n    - echo hi\n    - true\n",
    [
      ".gitlab-ci.yml:2:3: jobs:a:script config should be a string or a nested array of strings up to 10 levels deep",
    ],
  ],
] as [string, string, string[]][])("lint points at %s with GitLab's wording", (_name, yaml, expected) => {
  expect(lint(yaml)).toEqual(expected);
});
