// The project-level CI/CD variables API against a real server: entity, filters, validation and errors as
// https://docs.gitlab.com/api/project_level_variables/ and GitLab's `Ci::Variable`/`Ci::Maskable` say.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: JOBS_V4_SEED });
});
afterEach(() => server.close());

const V = "/api/v4/projects/1/variables";
const send = (method: string, path: string, body?: object, token: string = V4_TOKENS.master) =>
  api(server, path, {
    method,
    token,
    ...(body ? { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {}),
  });
const json = async (r: Response) => [r.status, await r.json()] as const;

describe("project variables API", () => {
  it("creates, lists, reads, updates and deletes a variable with GitLab's entity", async () => {
    const created = await json(
      await send("POST", V, { key: "DEPLOY_TOKEN", value: "abc12345", masked: true }),
    );
    const entity = {
      variable_type: "env_var",
      key: "DEPLOY_TOKEN",
      value: "abc12345",
      hidden: false,
      protected: false,
      masked: true,
      raw: false,
      environment_scope: "*",
      description: null,
    };
    expect(created).toEqual([201, entity]);
    const list = await send("GET", V);
    expect(await list.json()).toEqual([entity]);
    expect(list.headers.get("x-total")).toBe("1");
    expect(await json(await send("GET", `${V}/DEPLOY_TOKEN`))).toEqual([200, entity]);
    const updated = await json(
      await send("PUT", `${V}/DEPLOY_TOKEN`, {
        value: "other-value",
        variable_type: "file",
        protected: "true",
      }),
    );
    expect(updated).toEqual([
      200,
      { ...entity, value: "other-value", variable_type: "file", protected: true },
    ]);
    expect((await send("DELETE", `${V}/DEPLOY_TOKEN`)).status).toBe(204);
    expect(await json(await send("GET", `${V}/DEPLOY_TOKEN`))).toEqual([
      404,
      { message: "404 Variable Not Found" },
    ]);
  });

  it("refuses a key taken in the same environment scope and asks for a filter when scopes share it", async () => {
    await send("POST", V, { key: "URL", value: "a" });
    expect(await json(await send("POST", V, { key: "URL", value: "b" }))).toEqual([
      400,
      { message: { key: ["(URL) has already been taken"] } },
    ]);
    expect((await send("POST", V, { key: "URL", value: "c", environment_scope: "production" })).status).toBe(
      201,
    );
    expect(await json(await send("GET", `${V}/URL`))).toEqual([
      409,
      {
        message:
          "There are multiple variables with provided parameters. Please use 'filter[environment_scope]'",
      },
    ]);
    const [, production] = await json(await send("GET", `${V}/URL?filter[environment_scope]=production`));
    expect(production).toMatchObject({ value: "c", environment_scope: "production" });
  });

  it("validates keys and masked values as GitLab does", async () => {
    // Ci::Maskable: 8+ characters of Base64's alphabet plus @ : . ~ (any non-space when raw).
    const cases: Array<[object, object]> = [
      [{ key: "BAD-KEY", value: "x" }, { key: ["can contain only letters, digits and '_'."] }],
      [{ key: "SHORT", value: "1234567", masked: true }, { value: ["is invalid"] }],
      [{ key: "SPACES", value: "has spaces in it", masked: true }, { value: ["is invalid"] }],
      [{ key: "DOLLAR", value: "pa$$word123", masked: true }, { value: ["is invalid"] }],
    ];
    for (const [body, errors] of cases) {
      expect(await json(await send("POST", V, body))).toEqual([400, { message: errors }]);
    }
    const raw = await send("POST", V, { key: "DOLLAR", value: "pa$$word123", masked: true, raw: true });
    expect(raw.status).toBe(201);
  });

  it("answers Grape's parameter errors before anything else", async () => {
    expect(await json(await send("POST", V, { value: "x" }))).toEqual([400, { error: "key is missing" }]);
    expect(await json(await send("POST", V, { key: "K" }))).toEqual([400, { error: "value is missing" }]);
    expect(await json(await send("POST", V, { key: "K", value: "v", variable_type: "secret" }))).toEqual([
      400,
      { error: "variable_type does not have a valid value" },
    ]);
    expect(await json(await send("POST", V, { key: "K", value: "v", masked: "maybe" }))).toEqual([
      400,
      { error: "masked is invalid" },
    ]);
  });

  it("lets only maintainers and admins manage variables", async () => {
    // GitLab's `admin_cicd_variables` ability: Maintainer role and above.
    expect((await send("GET", V, undefined, V4_TOKENS.developer)).status).toBe(403);
    expect((await send("POST", V, { key: "K", value: "v" }, V4_TOKENS.reporter)).status).toBe(403);
    expect((await send("GET", V, undefined, V4_TOKENS.root)).status).toBe(200);
    expect((await send("GET", V, undefined, V4_TOKENS.outsider)).status).toBe(404);
  });
});
