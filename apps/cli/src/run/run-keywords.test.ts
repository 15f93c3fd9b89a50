// The keywords real files use, each run end to end by `buildsim run` (real server, runner, bash and
// SQLite): resource groups, needs as real files write them, and keywords a local run cannot act on.

import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeRunRepos, runPipeline as run, statuses } from "./test-support/run-pipeline.js";

afterEach(removeRunRepos);

describe("resource_group", () => {
  // https://docs.gitlab.com/ci/resource_groups/: one job of a group runs at a time; the others wait in
  // `waiting_for_resource` until the resource is released.
  it("runs one job of a group at a time, the other waiting for the resource", async () => {
    const job = (name: string) => `
${name}:
  resource_group: production
  script:
    - echo "start $(date +%s%N)" >> "$LOG"
    - sleep 0.3
    - echo "end $(date +%s%N)" >> "$LOG"
    - cat "$LOG"
`;
    const r = await run({
      ".gitlab-ci.yml": `variables: { LOG: ${path.join(tmpdir(), `buildsim-rg-${process.pid}-${Date.now()}.log`)} }\n${job("one")}${job("two")}`,
    });
    expect(r.code, r.out).toBe(0);
    expect(statuses(r)).toEqual(["one:success", "two:success"]);
    expect(r.builds.map((b) => b.resourceGroup)).toEqual(["production", "production"]);
    // The second job's log shows the first one's start and end before its own start.
    const lines = r
      .trace("two")
      .split("\n")
      .filter((l) => /^(start|end) \d+$/.test(l));
    expect(lines.map((l) => l.split(" ")[0])).toEqual(["start", "end", "start", "end"]);
    expect(r.out).toMatch(/^two +⧗ waiting_for_resource$/m);
    const [one, two] = r.builds;
    expect(Date.parse(two!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(one!.finishedAt!));
  });
});

describe("needs as real files write it", () => {
  it("runs a pipeline whose needs hold a YAML alias, a !reference, a matrix expression and artifacts: false", async () => {
    const r = await run({
      ".gitlab-ci.yml": `
stages: [build, test]
.deps: &deps [prepare]
.common: { needs: [{ job: prepare, artifacts: false }] }
prepare:
  stage: build
  script: [mkdir -p out, echo p > out/prepare.txt]
  artifacts: { paths: [out/] }
build:
  stage: build
  parallel: { matrix: [{ OS: [linux, mac] }] }
  script: [mkdir -p out, 'echo $OS > out/build-$OS.txt']
  artifacts: { paths: [out/] }
alias:
  stage: test
  needs: [*deps]
  script: ['echo "saw $(ls out | tr "\\n" " ")"']
reference:
  stage: test
  needs: [!reference [.common, needs]]
  dependencies: [prepare]
  script: ['echo "saw $(ls out 2>/dev/null | tr "\\n" " ")end"']
test:
  stage: test
  parallel: { matrix: [{ OS: [linux, mac] }] }
  needs: [{ job: build, parallel: { matrix: [{ OS: ['$[[ matrix.OS ]]'] }] } }]
  script: ['echo "saw $(ls out | tr "\\n" " ")"']
`,
    });
    expect(r.code, r.out).toBe(0);
    expect(r.trace("alias")).toContain("saw prepare.txt \n");
    // needs:artifacts: false wins over dependencies: (Ci::BuildDependencies).
    expect(r.trace("reference")).toContain("saw end\n");
    // $[[ matrix.OS ]]: each test instance takes only its own build's artifacts.
    expect(r.trace("test: [linux]")).toContain("saw build-linux.txt \n");
    expect(r.trace("test: [mac]")).toContain("saw build-mac.txt \n");
  });
});

describe("keywords a local run cannot act on", () => {
  it("accepts release, secrets, id_tokens and pages, and says so once per keyword for the whole run", async () => {
    const r = await run({
      ".gitlab-ci.yml": `
default:
  interruptible: true
  tags: []
a:
  script: [echo a]
  release: { tag_name: v1, description: first }
  secrets: { TOKEN: { vault: ops/token@kv } }
  id_tokens: { ID_TOKEN: { aud: https://example.com } }
b:
  script: [echo b]
  release: { tag_name: v2, description: second }
  secrets: { TOKEN: { vault: ops/token@kv } }
pages:
  script: [mkdir -p public, echo hi > public/index.html]
  pages: true
  artifacts: { paths: [public] }
`,
    });
    expect(r.code, r.out).toBe(0);
    expect(statuses(r)).toEqual(["a:success", "b:success", "pages:success"]);
    const warnings = r.out.split("\n").filter((l) => l.startsWith("warning: "));
    expect(warnings).toEqual([
      "warning: .gitlab-ci.yml:7:3: release: is accepted, but a local run creates no releases (jobs a, b)",
      "warning: .gitlab-ci.yml:8:3: secrets: is accepted, but a local run fetches no secrets: the jobs get no secret variables (jobs a, b)",
      "warning: .gitlab-ci.yml:9:3: id_tokens: is accepted, but a local run issues no ID tokens: the jobs get no token variables (job a)",
      "warning: .gitlab-ci.yml:16:3: pages: is accepted, but a local run deploys no Pages site: the job runs and keeps its artifacts (job pages)",
    ]);
  });

  it("refuses a wrongly typed keyword with GitLab's lint message and runs nothing", async () => {
    const r = await run({
      ".gitlab-ci.yml": "a:\n  script: [echo a]\n  interruptible: 'yes'\n  secrets: [x]\n",
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain(".gitlab-ci.yml:3:3: jobs:a:interruptible config should be a boolean value");
    expect(r.out).toContain(".gitlab-ci.yml:4:3: jobs:a:secrets config should be a hash");
    expect(r.builds).toEqual([]);
  });
});
