// Named snapshots on the handle and over HTTP: copy the whole state under a name, change it, restore it
// (as often as wanted), against a real server with real SQLite and artifact files.

import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { authMatrixSeed, MATRIX_TOKENS, matrixBuilds } from "../test-support/auth-matrix-seed.js";
import { api, startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ADMIN = MATRIX_TOKENS.admin;
const done = matrixBuilds(1).done;
const jobCount = async () =>
  ((await (await api(server!, "/api/v4/projects/1/jobs", { token: ADMIN })).json()) as unknown[]).length;
const artifactsStatus = async () =>
  (await api(server!, `/api/v4/projects/1/jobs/${done}/artifacts`, { token: ADMIN })).status;
const act = (action: string) =>
  api(server!, `/api/v4/projects/1/jobs/${done}/${action}`, { method: "POST", token: ADMIN });

describe("named snapshots on the handle", () => {
  it("restore a named state as often as asked, artifact files included", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    server.snapshots.take("seeded");
    expect((await act("retry")).status).toBe(201);
    expect((await act("erase")).status).toBe(201);
    server.snapshots.take("retried-and-erased");
    expect([await jobCount(), await artifactsStatus()]).toEqual([4, 404]);

    server.snapshots.restore("seeded");
    expect([await jobCount(), await artifactsStatus()]).toEqual([3, 200]);
    server.snapshots.restore("retried-and-erased");
    expect([await jobCount(), await artifactsStatus()]).toEqual([4, 404]);
    server.snapshots.restore("seeded");
    expect([await jobCount(), await artifactsStatus()]).toEqual([3, 200]);
  });

  it("replace a snapshot taken again under its name, survive a reset, and are dropped by name", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    server.snapshots.take("s");
    await act("retry");
    server.snapshots.take("s");
    server.reset();
    expect(await jobCount()).toBe(3);
    expect(server.snapshots.list().map((s) => s.name)).toEqual(["s"]);
    expect(server.snapshots.restore("s")).toBe(true);
    expect(await jobCount()).toBe(4);
    expect(server.snapshots.drop("s")).toBe(true);
    expect(server.snapshots.restore("s")).toBe(false);
    expect(server.snapshots.list()).toEqual([]);
  });

  it("refuse a name that is not one, naming the field", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    expect(() => server!.snapshots.take("no spaces")).toThrow(/^name is invalid/);
    expect(() => server!.snapshots.take("")).toThrow(/^name is invalid/);
    expect(server.snapshots.list()).toEqual([]);
  });
});

describe("named snapshots over HTTP", () => {
  const post = (path: string, body?: unknown) =>
    api(server!, `/-/buildsim/admin/snapshots${path}`, {
      method: "POST",
      token: ADMIN,
      headers: { "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it("take (201), list, restore (204) and drop (204) a snapshot; an unknown one is 404", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    const taken = await post("", { name: "seeded" });
    expect(taken.status).toBe(201);
    expect(await taken.json()).toMatchObject({ name: "seeded", takenAt: expect.any(String) });
    await act("retry");
    expect((await post("/seeded/restore")).status).toBe(204);
    expect(await jobCount()).toBe(3);
    const listed = await api(server, "/-/buildsim/admin/snapshots", { token: ADMIN });
    expect(
      ((await listed.json()) as { snapshots: Array<{ name: string }> }).snapshots.map((s) => s.name),
    ).toEqual(["seeded"]);
    const unknown = await post("/nothing/restore");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: "404 Snapshot Not Found" });
    expect(
      (await api(server, "/-/buildsim/admin/snapshots/seeded", { method: "DELETE", token: ADMIN })).status,
    ).toBe(204);
    expect(
      (await api(server, "/-/buildsim/admin/snapshots/seeded", { method: "DELETE", token: ADMIN })).status,
    ).toBe(404);
  });

  it("answers a bad name or an unknown field with 400 naming it", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    for (const [body, error] of [
      [{ name: "a/b" }, /^name is invalid/],
      [{}, /^name is missing/],
      [{ name: "ok", nmae: "x" }, /^nmae is not a known field/],
    ] as const) {
      const res = await post("", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(error);
    }
    expect(await (await api(server, "/-/buildsim/admin/snapshots", { token: ADMIN })).json()).toEqual({
      snapshots: [],
    });
  });
});
