// GitLab's validation of environment, resource_group, release, pages, secrets, id_tokens and tags, with
// the messages of lib/gitlab/ci/config/entry/*.rb and their specs.

import { describe, expect, it } from "vitest";
import { createMemoryReader, formatProblem, lintCiConfig } from "./lint-ci-config.js";
import { job, jobsOf } from "./test-support/plan-yaml.js";

const lint = (yaml: string): string[] =>
  lintCiConfig({ readFile: createMemoryReader({ ".gitlab-ci.yml": yaml }) }).problems.map(formatProblem);

describe("keywords with wrong types get GitLab's lint messages", () => {
  it.each([
    // spec/lib/gitlab/ci/config/entry/environment_spec.rb
    ["an environment list", "environment: [env]", ["jobs:a:environment config should be a hash or a string"]],
    [
      "an environment without a name",
      "environment: { url: 'https://x' }",
      ["jobs:a:environment name can't be blank"],
    ],
    [
      "an unknown environment action",
      "environment: { name: prod, action: rollback }",
      ["jobs:a:environment action should be start, stop, prepare, verify, or access"],
    ],
    [
      "a non-string on_stop",
      "environment: { name: prod, on_stop: false }",
      ["jobs:a:environment on stop should be a string"],
    ],
    ["a url list", "environment: { name: prod, url: [x] }", ["jobs:a:environment url should be a string"]],
    [
      "an unknown tier",
      "environment: { name: prod, deployment_tier: unknown }",
      ["jobs:a:environment deployment tier must be one of production, staging, testing, development, other"],
    ],
    [
      "a name ending in a slash",
      "environment: review/",
      [
        "jobs:a:environment name can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/'",
      ],
    ],
    [
      "a bad auto_stop_in",
      "environment: { name: prod, auto_stop_in: soon }",
      ["jobs:a:environment auto stop in should be a duration"],
    ],
    // Entry::Processable: `validates :resource_group, type: String`.
    ["a resource_group list", "resource_group: [a]", ["jobs:a resource group should be a string"]],
    // Entry::Release: tag_name and description are required.
    ["a release without tag_name", "release: { description: d }", ["jobs:a:release tag name can't be blank"]],
    ["a release that is a string", "release: v1", ["jobs:a:release config should be a hash"]],
    // Entry::Pages: `hash_or_boolean`.
    ["pages as a string", "pages: public", ["jobs:a:pages config should be a hash or a boolean value"]],
    [
      "pages with an unknown key",
      "pages: { bogus: 1 }",
      ["jobs:a:pages config contains unknown keys: bogus"],
    ],
    // Entry::Secrets / Entry::Secret.
    ["secrets as a list", "secrets: [a]", ["jobs:a:secrets config should be a hash"]],
    [
      "a secret without a provider",
      "secrets: { TOKEN: { file: true } }",
      [
        "jobs:a:secrets:TOKEN config must use exactly one of these keys: vault, gcp_secret_manager, azure_key_vault, aws_secrets_manager, akeyless, gitlab_secrets_manager",
      ],
    ],
    // Entry::IdToken: `required_keys: [aud]`, `aud` a string or an array of strings.
    [
      "an id token without aud",
      "id_tokens: { ID_TOKEN_1: { foo: x } }",
      [
        "jobs:a:id_tokens:ID_TOKEN_1 config missing required keys: aud",
        "jobs:a:id_tokens:ID_TOKEN_1 config contains unknown keys: foo",
      ],
    ],
    [
      "an id token aud number",
      "id_tokens: { ID_TOKEN_1: { aud: 3 } }",
      ["jobs:a:id_tokens:ID_TOKEN_1 aud should be an array of strings or a string"],
    ],
    [
      "interruptible as a string",
      "interruptible: 'yes'",
      ["jobs:a:interruptible config should be a boolean value"],
    ],
    ["tags as a string", "tags: docker", ["jobs:a:tags config should be an array of strings"]],
  ])("%s", (_label, line, expected) => {
    const problems = lint(`a:\n  script: x\n  ${line}\n`);
    expect(problems.map((p) => p.replace(/^\.gitlab-ci\.yml:\d+:\d+: /, ""))).toEqual(expected);
  });

  it("refuses more than 50 tags (Entry::Tags)", () => {
    const tags = Array.from({ length: 51 }, (_, i) => `t${i}`).join(", ");
    expect(lint(`a:\n  script: x\n  tags: [${tags}]\n`)).toEqual([
      ".gitlab-ci.yml:3:3: jobs:a:tags config must be less than the limit of 50 tags",
    ]);
  });

  it("accepts every documented form of the keywords", () => {
    const problems = lint(`
default:
  id_tokens: { GITLAB_OIDC: { aud: https://gitlab.example.com } }
deploy:
  script: x
  interruptible: false
  tags: [shell]
  resource_group: production
  environment:
    name: review/$CI_COMMIT_REF_SLUG
    url: https://$CI_COMMIT_REF_SLUG.example.com
    action: start
    on_stop: stop
    auto_stop_in: 1 day
    deployment_tier: staging
  release: { tag_name: v1.0, description: first, assets: { links: [] } }
  secrets:
    DATABASE_PASSWORD: { vault: production/db/password@ops, file: false }
  id_tokens:
    ID_TOKEN_1: { aud: [a, b] }
stop:
  script: x
  when: manual
  environment: { name: review/$CI_COMMIT_REF_SLUG, action: stop }
pages:
  script: x
  pages: { path_prefix: docs, expire_in: 1 week }
`);
    expect(problems).toEqual([]);
  });
});

describe("environment and resource_group in the planned jobs", () => {
  it("expands the environment's name and url and the resource group with the job's variables", () => {
    const jobs = jobsOf(`
variables: { APP: shop }
deploy:
  script: x
  resource_group: deploy-$APP
  environment: { name: review/$CI_COMMIT_REF_SLUG, url: 'https://$APP.example.com', auto_stop_in: 2 days }
`);
    expect(job(jobs, "deploy").resourceGroup).toBe("deploy-shop");
    expect(job(jobs, "deploy").environment).toEqual({
      name: "review/main",
      url: "https://shop.example.com",
      action: "start",
      onStop: null,
      autoStopIn: "2 days",
      deploymentTier: null,
    });
  });
});
