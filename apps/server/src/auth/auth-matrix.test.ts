// Every v3 endpoint × every kind of caller × private and public projects, against a real server.

import { describe, expect, it } from "vitest";
import {
  authMatrixSeed,
  MATRIX_PROJECTS,
  MATRIX_TOKENS,
  matrixBuilds,
  matrixSha,
} from "../test-support/auth-matrix-seed.js";
import { api, startTestServer } from "../test-support/start-test-server.js";

type Ability = "list" | "read" | "update";
interface Endpoint {
  name: string;
  method: "GET" | "POST";
  path: (p: number) => string;
  ability: Ability;
  okStatus: number;
}

/** Each endpoint, the ability GitLab 8.17 checks for it, and its success status. */
const ENDPOINTS: Endpoint[] = [
  {
    name: "list builds",
    method: "GET",
    path: (p) => `/projects/${p}/builds`,
    ability: "list",
    okStatus: 200,
  },
  {
    name: "commit builds",
    method: "GET",
    path: (p) => `/projects/${p}/repository/commits/${matrixSha(p)}/builds`,
    ability: "read",
    okStatus: 200,
  },
  {
    name: "get build",
    method: "GET",
    path: (p) => `/projects/${p}/builds/${matrixBuilds(p).done}`,
    ability: "read",
    okStatus: 200,
  },
  {
    name: "artifacts",
    method: "GET",
    path: (p) => `/projects/${p}/builds/${matrixBuilds(p).done}/artifacts`,
    ability: "read",
    okStatus: 200,
  },
  {
    name: "trace",
    method: "GET",
    path: (p) => `/projects/${p}/builds/${matrixBuilds(p).done}/trace`,
    ability: "read",
    okStatus: 200,
  },
  {
    name: "artifacts by ref",
    method: "GET",
    path: (p) => `/projects/${p}/builds/artifacts/master/download?job=build`,
    ability: "read",
    okStatus: 200,
  },
  {
    name: "cancel",
    method: "POST",
    path: (p) => `/projects/${p}/builds/${matrixBuilds(p).running}/cancel`,
    ability: "update",
    okStatus: 201,
  },
  {
    name: "retry",
    method: "POST",
    path: (p) => `/projects/${p}/builds/${matrixBuilds(p).done}/retry`,
    ability: "update",
    okStatus: 201,
  },
  {
    name: "erase",
    method: "POST",
    path: (p) => `/projects/${p}/builds/${matrixBuilds(p).done}/erase`,
    ability: "update",
    okStatus: 201,
  },
  {
    name: "keep artifacts",
    method: "POST",
    path: (p) => `/projects/${p}/builds/${matrixBuilds(p).done}/artifacts/keep`,
    ability: "update",
    okStatus: 200,
  },
  {
    name: "play",
    method: "POST",
    path: (p) => `/projects/${p}/builds/${matrixBuilds(p).manual}/play`,
    ability: "read",
    okStatus: 200,
  },
];

type Outcome = "ok" | 401 | 403 | 404;
/** Expected outcome per project, caller and ability: [list, read, update]. Written out, not computed. */
const EXPECTED: Record<number, Record<string, [Outcome, Outcome, Outcome]>> = {
  1: {
    "no token": [401, 401, 401],
    "bad token": [401, 401, 401],
    blocked: [401, 401, 401],
    guest: ["ok", 403, 403],
    reporter: ["ok", "ok", 403],
    developer: ["ok", "ok", "ok"],
    master: ["ok", "ok", "ok"],
    admin: ["ok", "ok", "ok"],
    outsider: [404, 404, 404],
  },
  2: {
    "no token": [401, 401, 401],
    "bad token": [401, 401, 401],
    blocked: [401, 401, 401],
    guest: ["ok", 403, 403],
    reporter: ["ok", "ok", 403],
    developer: ["ok", "ok", "ok"],
    master: ["ok", "ok", "ok"],
    admin: ["ok", "ok", "ok"],
    outsider: ["ok", 403, 403],
  },
  3: {
    "no token": [401, 401, 401],
    "bad token": [401, 401, 401],
    blocked: [401, 401, 401],
    guest: ["ok", "ok", 403],
    reporter: ["ok", "ok", 403],
    developer: ["ok", "ok", "ok"],
    master: ["ok", "ok", "ok"],
    admin: ["ok", "ok", "ok"],
    outsider: ["ok", "ok", 403],
  },
};

const TOKEN_OF: Record<string, string | null> = {
  "no token": null,
  "bad token": "not-a-token",
  blocked: MATRIX_TOKENS.blocked,
  guest: MATRIX_TOKENS.guest,
  reporter: MATRIX_TOKENS.reporter,
  developer: MATRIX_TOKENS.developer,
  master: MATRIX_TOKENS.master,
  admin: MATRIX_TOKENS.admin,
  outsider: MATRIX_TOKENS.outsider,
};

const BODY_OF: Record<Exclude<Outcome, "ok">, unknown> = {
  401: { message: "401 Unauthorized" },
  403: { message: "403 Forbidden" },
  404: { message: "404 Project Not Found" },
};
const ABILITY_INDEX: Record<Ability, number> = { list: 0, read: 1, update: 2 };

const cases = Object.keys(MATRIX_PROJECTS).flatMap((p) =>
  Object.keys(TOKEN_OF).flatMap((caller) =>
    ENDPOINTS.map((e) => ({ project: Number(p), caller, endpoint: e })),
  ),
);

describe("the auth matrix", () => {
  it.each(cases)("$endpoint.name on project $project as $caller", async ({ project, caller, endpoint }) => {
    const server = await startTestServer({ seedText: authMatrixSeed() });
    try {
      const expected = EXPECTED[project]![caller]![ABILITY_INDEX[endpoint.ability]]!;
      const res = await api(server, `/api/v3${endpoint.path(project)}`, {
        method: endpoint.method,
        token: TOKEN_OF[caller] ?? null,
      });
      if (expected === "ok") {
        expect(res.status).toBe(endpoint.okStatus);
        await res.arrayBuffer();
      } else {
        expect(res.status).toBe(expected);
        expect(await res.json()).toEqual(BODY_OF[expected]);
      }
    } finally {
      await server.close();
    }
  });
});
