import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PipelineTrigger } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jobVariables } from "../../services/job-payload.js";
import { registerLocalProject } from "../../services/local-project.js";
import { createTrigger } from "../../services/pipeline-triggers.js";
import type { RunningServer } from "../../start-server.js";
import { gitIn } from "../../test-support/git-in.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
let repo: string;
let trigger: PipelineTrigger;

const git = (...args: string[]) => gitIn(repo, ...args);

// `on-trigger` runs only in triggered pipelines: https://docs.gitlab.com/17.0/ee/ci/triggers/#configure-cicd-jobs-to-run-in-triggered-pipelines
const CONFIG = `
compile:
  script: [make]
on-trigger:
  script: [deploy]
  rules:
    - if: $CI_PIPELINE_SOURCE == "trigger" && $TARGET == "prod"
`;

beforeEach(async () => {
  repo = mkdtempSync(path.join(tmpdir(), "buildsim-trigger-"));
  git("init", "-q", "-b", "main");
  writeFileSync(path.join(repo, ".gitlab-ci.yml"), CONFIG);
  git("add", ".");
  git("commit", "-qm", "Add CI");
  git("branch", "release/1");
  server = await startTestServer({});
  const admin = server.store.users.firstAdmin()!;
  const project = registerLocalProject(server.app, {
    pathWithNamespace: "local/demo",
    name: "demo",
    sourceDir: repo,
    defaultBranch: "main",
    ownerId: admin.id,
  });
  trigger = createTrigger(server.app, project.id, admin, "ci");
});
afterEach(async () => {
  await server.close();
  rmSync(repo, { recursive: true, force: true });
});

const form = (pathAndQuery: string, body: string, headers: Record<string, string> = {}) =>
  api(server, `/api/v4/projects/local%2Fdemo${pathAndQuery}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
const json = (body: unknown) =>
  api(server, "/api/v4/projects/1/trigger/pipeline", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const jobNames = (pipelineId: number) => server.store.builds.listByPipeline(pipelineId).map((b) => b.name);

describe("POST /projects/:id/trigger/pipeline", () => {
  it("runs a trigger pipeline with form variables that rules and the variables API see", async () => {
    // https://docs.gitlab.com/17.0/ee/api/pipeline_triggers.html#trigger-a-pipeline-with-a-token
    const res = await form("/trigger/pipeline", `token=${trigger.token}&ref=main&variables[TARGET]=prod`);
    expect(res.status).toBe(201);
    const pipeline = (await res.json()) as { id: number; source: string; ref: string; user: { id: number } };
    expect(pipeline).toMatchObject({ source: "trigger", ref: "main", user: { id: trigger.ownerId } });
    expect(jobNames(pipeline.id)).toEqual(["compile", "on-trigger"]);
    const variables = await api(server, `/api/v4/projects/1/pipelines/${pipeline.id}/variables`, {
      token: server.token,
    });
    expect(await variables.json()).toEqual([
      { key: "TARGET", variable_type: "env_var", value: "prod" },
      {
        key: "TRIGGER_PAYLOAD",
        variable_type: "file",
        value: '{"ref":"main","variables":{"TARGET":"prod"},"id":"local/demo"}',
      },
    ]);
    // `last_used` is the newest pipeline the token ran (Ci::Trigger#last_used).
    const shown = await api(server, `/api/v4/projects/1/triggers/${trigger.id}`, { token: server.token });
    expect(((await shown.json()) as { last_used: string }).last_used).toBe("2026-01-01T00:00:00.000Z");
  });

  it("takes a JSON object of variables, and the ref in the path", async () => {
    const res = await json({ token: trigger.token, ref: "main", variables: { TARGET: "staging" } });
    expect(res.status).toBe(201);
    expect(jobNames(((await res.json()) as { id: number }).id)).toEqual(["compile"]);
    const byPath = await form(`/ref/release%2F1/trigger/pipeline?token=${trigger.token}`, "");
    expect(byPath.status).toBe(201);
    expect(await byPath.json()).toMatchObject({ ref: "release/1", source: "trigger" });
  });

  it("gives every job the request as TRIGGER_PAYLOAD, a raw file variable keeping a webhook body's JSON types", async () => {
    // Ci::PipelineTriggerService#payload_variable: `params.except(:token).to_json`, `variable_type: :file`;
    // raw since gitlab-org/gitlab!146242 ({"key1":"$MYVAR"} stays as sent). The path's `id` and `ref` come
    // after the body's keys and `variables` is `{}` when none were given, as that MR's example shows.
    // https://docs.gitlab.com/17.0/ee/ci/triggers/#pass-cicd-variables-in-the-api-call
    const hook = {
      object_kind: "push",
      project_id: 15,
      total_commits_count: 2,
      note: "$CI_JOB_TOKEN",
      ok: true,
    };
    const res = await api(server, `/api/v4/projects/1/ref/main/trigger/pipeline?token=${trigger.token}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(hook),
    });
    expect(res.status).toBe(201);
    const pipelineId = ((await res.json()) as { id: number }).id;
    const payload = `{"object_kind":"push","project_id":15,"total_commits_count":2,"note":"$CI_JOB_TOKEN","ok":true,"id":"1","ref":"main","variables":{}}`;
    const job = server.store.builds.listByPipeline(pipelineId)[0]!;
    const seen = jobVariables(job, null, { store: server.store, serverUrl: server.url }, []);
    expect(seen.find((v) => v.key === "TRIGGER_PAYLOAD")).toEqual({
      key: "TRIGGER_PAYLOAD",
      value: payload,
      public: false,
      raw: true,
      file: true,
    });
    expect(JSON.parse(payload)).toMatchObject(hook);
  });

  it("answers 404 Not Found for a token that is not this project's, and 400 for what Grape rejects", async () => {
    // lib/api/ci/triggers.rb: params first (all problems in one message), then the variables' types, then
    // `not_found!` for a missing project or token.
    const unknown = await json({ token: "glptt-nope", ref: "main" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: "404 Not Found" });
    const missing = await json({});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: "ref is missing, token is missing" });
    const nested = await json({ token: trigger.token, ref: "main", variables: { A: { B: "c" } } });
    expect(nested.status).toBe(400);
    expect(await nested.json()).toEqual({ message: "variables needs to be a map of key-valued strings" });
    const noRef = await json({ token: trigger.token, ref: "nope" });
    expect(noRef.status).toBe(400);
    expect(await noRef.json()).toEqual({ message: { base: ["Reference not found"] } });
    const hook = await form("/trigger/pipeline", `token=${trigger.token}&ref=main`, {
      "X-Gitlab-Event": "Pipeline Hook",
    });
    expect(hook.status).toBe(403);
    expect(server.store.pipelines.nextId()).toBe(1);
  });

  it("answers 400 for JSON variables whose values are numbers, booleans or null, and creates nothing", async () => {
    // lib/api/ci/triggers.rb (17.0): Grape keeps a JSON Hash's values as parsed, then
    // `params[:variables].all? { |key, value| key.is_a?(String) && value.is_a?(String) }` or
    // `render_api_error!('variables needs to be a map of key-valued strings', 400)`.
    for (const value of [1, 2.5, true, false, null]) {
      const res = await json({ token: trigger.token, ref: "main", variables: { TARGET: "prod", N: value } });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ message: "variables needs to be a map of key-valued strings" });
    }
    expect(server.store.pipelines.nextId()).toBe(1);
    // `variables: null` is no Hash at all: `nil.to_h` is empty, so the pipeline runs.
    const none = await json({ token: trigger.token, ref: "main", variables: null });
    expect(none.status).toBe(201);
  });

  it("runs a multi-project pipeline (source pipeline) for a running job's CI job token", async () => {
    // https://docs.gitlab.com/17.0/ee/ci/triggers/#use-a-cicd-job-token; Ci::PipelineTriggerService
    // links it to the job's pipeline and answers 401 "Job is not running" for a finished job's token.
    const first = (await (await json({ token: trigger.token, ref: "main" })).json()) as { id: number };
    const job = server.store.builds.listByPipeline(first.id)[0]!;
    const notRunning = await json({ token: job.token, ref: "main" });
    expect(notRunning.status).toBe(401);
    expect(await notRunning.json()).toEqual({ message: "Job is not running" });
    server.store.transaction(() =>
      server.app.transitions.fire(job, { type: "run", at: server.app.now(), runnerId: null }),
    );
    const res = await json({ token: job.token, ref: "main", variables: { TARGET: "prod" } });
    expect(res.status).toBe(201);
    const downstream = (await res.json()) as { id: number; source: string };
    expect(downstream.source).toBe("pipeline");
    expect(jobNames(downstream.id)).toEqual(["compile"]);
    expect(server.store.pipelines.get(downstream.id)?.upstreamPipelineId).toBe(first.id);
  });
});
