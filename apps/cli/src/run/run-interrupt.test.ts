// Ctrl-C during `buildsim run`: the whole pipeline tree is canceled through the API (the running job, the
// child pipeline's job, the manual job) and the command exits 130. Real server, runner, bash, and SQLite
// (or PostgreSQL in the suite's `postgres` project).
// GitLab: https://docs.gitlab.com/ee/api/pipelines.html#cancel-a-pipelines-jobs cancels the pipeline and
// its child pipelines; https://docs.gitlab.com/ee/api/jobs.html#cancel-a-job cancels the manual job.

import { EventEmitter } from "node:events";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runRunCommand } from "./run-command.js";
import { runDatabaseArgs } from "./test-support/run-database.js";
import { makeRepo, removeRunRepos } from "./test-support/run-pipeline.js";

afterEach(() => removeRunRepos());

describe("buildsim run interrupted", () => {
  it("cancels the pipeline, its child pipeline and its manual jobs on Ctrl-C, and exits 130", async () => {
    const repo = makeRepo({
      ".gitlab-ci.yml": `
slow:
  script: [echo started, sleep 30]
gate:
  when: manual
  script: [echo never]
child:
  trigger:
    include: child.yml
    strategy: depend
`,
      "child.yml": "inner:\n  script: [echo inner started, sleep 30]\n",
    });
    const signals = new EventEmitter();
    let out = "";
    let pressed = false;
    const write = (s: string) => {
      out += s;
      // Both jobs print once they run: that is when the user presses Ctrl-C (once).
      if (!pressed && out.includes("| started") && out.includes("| inner started")) {
        pressed = true;
        signals.emit("SIGINT");
      }
    };
    const db = runDatabaseArgs(path.join(repo, ".buildsim"));
    const code = await runRunCommand(["--data", ".buildsim", ...db], {
      stdout: { write },
      stderr: { write },
      cwd: repo,
      signals: signals as unknown as Pick<NodeJS.Process, "on" | "off">,
    });
    expect(code).toBe(130);
    expect(out).toMatch(/pipeline #1 canceled/);
    expect(out).toMatch(/⊘ slow +canceled/);
    expect(out).toMatch(/⊘ gate +canceled/);
    expect(out).toMatch(/⊘ child > inner +canceled/);
  }, 30_000);
});
