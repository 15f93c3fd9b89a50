// `environment:` run end to end: the jobs of a real `buildsim run` create environments and deployments,
// read back through the v4 Environments API while the run keeps serving.
// https://docs.gitlab.com/ci/environments/ and https://docs.gitlab.com/api/environments/

import { afterEach, describe, expect, it } from "vitest";
import { removeRunRepos, runPipeline as run, statuses } from "./test-support/run-pipeline.js";

afterEach(removeRunRepos);

const PIPELINE = `
stages: [test, deploy, cleanup]
deploy_review:
  stage: deploy
  script: [echo deploying]
  environment:
    name: review/$CI_COMMIT_REF_SLUG
    url: https://$CI_COMMIT_REF_SLUG.example.com
    on_stop: stop_review
    auto_stop_in: 1 day
stop_review:
  stage: cleanup
  when: manual
  script: [echo stopping]
  environment: { name: review/$CI_COMMIT_REF_SLUG, action: stop }
check_production:
  stage: test
  script: [echo checking]
  environment: { name: production, action: prepare }
`;

describe("environment:", () => {
  it("records environments and the deployment of each start job, shown by the Environments API", async () => {
    const api =
      (url: string, token: string) =>
      async (path: string, method = "GET") => {
        const res = await fetch(`${url}/api/v4/projects/1${path}`, {
          method,
          headers: { "PRIVATE-TOKEN": token },
        });
        return {
          status: res.status,
          body: (await res.json()) as Record<string, unknown> & Array<Record<string, unknown>>,
        };
      };
    let seen: Record<string, unknown> = {};
    const r = await run({ ".gitlab-ci.yml": PIPELINE }, [], async ({ url, token }) => {
      const get = api(url, token);
      const list = await get("/environments");
      const reviewId = list.body.find((e) => e.name === "review/main")!.id;
      const productionId = list.body.find((e) => e.name === "production")!.id;
      const review = await get(`/environments/${reviewId}`);
      const production = await get(`/environments/${productionId}`);
      const filtered = await get("/environments?search=review&states=available");
      const missing = await get("/environments/999");
      const stopping = await get(`/environments/${reviewId}/stop`, "POST");
      const jobs = await get("/jobs?scope=pending");
      seen = { list, review, production, filtered, missing, stopping, jobs };
    });
    expect(r.code).toBe(0);
    expect(statuses(r)).toEqual(["check_production:success", "deploy_review:success", "stop_review:pending"]);
    const list = seen.list as { status: number; body: Array<Record<string, unknown>> };
    expect(list.status).toBe(200);
    // A name that had to change gets a slug with a 6-character suffix; the tier is guessed from the name.
    // Environments by id: the prepare job in the earlier stage created `production` first.
    expect(list.body).toEqual([
      expect.objectContaining({
        name: "production",
        slug: "production",
        external_url: null,
        tier: "production",
      }),
      expect.objectContaining({
        name: "review/main",
        slug: expect.stringMatching(/^review-main-[a-z0-9]{6}$/),
        external_url: "https://main.example.com",
        state: "available",
        tier: "development",
        auto_stop_at: expect.any(String),
      }),
    ]);
    const deployedAt = Date.parse(r.builds.find((b) => b.name === "deploy_review")!.finishedAt!);
    expect(Date.parse(list.body[1]!.auto_stop_at as string) - deployedAt).toBe(86_400_000);
    const review = (seen.review as { body: { last_deployment: Record<string, unknown> } }).body;
    expect(review.last_deployment).toMatchObject({
      iid: 1,
      ref: "main",
      status: "success",
      user: expect.objectContaining({ username: expect.any(String) }),
      deployable: expect.objectContaining({ name: "deploy_review", status: "success" }),
    });
    // `action: prepare` creates the environment but deploys nothing.
    expect((seen.production as { body: Record<string, unknown> }).body.last_deployment).toBeNull();
    expect((seen.filtered as { body: unknown[] }).body).toHaveLength(1);
    expect(seen.missing).toEqual({ status: 404, body: { message: "404 Not found" } });
    // Stopping plays the on_stop job; the environment is `stopping` until that job succeeds.
    expect(seen.stopping).toMatchObject({ status: 200, body: { name: "review/main", state: "stopping" } });
    expect((seen.jobs as { body: Array<{ name: string }> }).body.map((j) => j.name)).toEqual(["stop_review"]);
  });

  it("stops the environment when its stop job succeeds", async () => {
    const r = await run(
      { ".gitlab-ci.yml": PIPELINE },
      ["--manual", "stop_review"],
      async ({ url, token }) => {
        const res = await fetch(`${url}/api/v4/projects/1/environments?name=review/main`, {
          headers: { "PRIVATE-TOKEN": token },
        });
        const [review] = (await res.json()) as Array<{ state: string; auto_stop_at: string | null }>;
        expect(review).toMatchObject({ state: "stopped", auto_stop_at: null });
      },
    );
    expect(r.code).toBe(0);
    expect(statuses(r)).toContain("stop_review:success");
  });
});
