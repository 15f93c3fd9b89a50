import { ClientError, createClient } from "@buildsim/client";
import type { RunningServer } from "@buildsim/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ARTIFACT_BUILD,
  ARTIFACT_BYTES,
  CYCLE,
  GUEST_TOKEN,
  LISTED_BUILDS,
  MANUAL_BUILD,
  ROOT_TOKEN,
  RUNNERS_TOKEN,
  RUNNING_BUILD,
  SHA,
  startE2eServer,
  TRACE_TEXT,
} from "./e2e-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startE2eServer();
});
afterEach(async () => {
  await server.close();
});

const client = (token = ROOT_TOKEN) => createClient({ baseUrl: server.url, token, retry: false });
const ALL_IDS = Array.from({ length: RUNNING_BUILD }, (_, i) => RUNNING_BUILD - i);

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a ClientError");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientError);
  return error as ClientError;
}

describe("v3 builds against the real server: lists and pagination", () => {
  it("iterates every build newest first by following the server's Link headers", async () => {
    const pages: number[] = [];
    const ids: number[] = [];
    for await (const page of client().v3.builds.list(1, { perPage: 7 }).pages()) {
      pages.push(page.items.length);
      ids.push(...page.items.map((b) => b.id));
    }
    expect(ids).toEqual(ALL_IDS);
    expect(pages).toEqual([7, 7, 7, 5]);
  });

  it("fetches one page with the seven pagination headers parsed", async () => {
    const { items, pagination } = await client().v3.builds.list(1, { page: 2, perPage: 10 }).fetchPage();
    expect(items.map((b) => b.id)).toEqual(ALL_IDS.slice(10, 20));
    expect(pagination).toMatchObject({
      total: 26,
      totalPages: 3,
      perPage: 10,
      page: 2,
      nextPage: 3,
      prevPage: 1,
    });
    expect(Object.keys(pagination.links).sort()).toEqual(["first", "last", "next", "prev"]);
  });

  it("keeps an array scope across pages", async () => {
    const builds = await client()
      .v3.builds.list(1, { scope: ["failed", "canceled"], perPage: 4 })
      .toArray();
    const expected = ALL_IDS.filter((id) => id <= LISTED_BUILDS && CYCLE[(id - 1) % 3] !== "success");
    expect(builds.map((b) => b.id)).toEqual(expected);
    expect(new Set(builds.map((b) => b.status))).toEqual(new Set(["failed", "canceled"]));
  });

  it("filters by a single scope string", async () => {
    const running = await client().v3.builds.list(1, { scope: "running" }).toArray();
    expect(running.map((b) => b.id)).toEqual([RUNNING_BUILD]);
  });

  it("lists a commit's builds, addressing the project by its path", async () => {
    const builds = await client().v3.builds.listForCommit("acme/app", SHA, { perPage: 100 }).toArray();
    expect(builds.map((b) => b.id)).toEqual(ALL_IDS);
  });

  it("reports an invalid scope as bad_request with Grape's error text", async () => {
    const error = await failure(client().v3.builds.list(1, { scope: "bogus" }).toArray());
    expect(error).toMatchObject({
      code: "bad_request",
      status: 400,
      message: "scope does not have a valid value",
    });
  });
});

describe("v3 builds against the real server: reads", () => {
  it("gets one build as a BuildEntityV3", async () => {
    const build = await client().v3.builds.get(1, ARTIFACT_BUILD);
    expect(build).toMatchObject({ id: ARTIFACT_BUILD, name: "package", status: "success", tag: false });
    expect(build.artifacts_file).toEqual({ filename: "pkg.zip", size: ARTIFACT_BYTES.length });
    expect(build.commit?.id).toBe(SHA);
  });

  it("reads the trace byte-exact with the runners token masked", async () => {
    const trace = await client().v3.builds.trace(1, ARTIFACT_BUILD);
    expect(trace).toBe(TRACE_TEXT.replace(RUNNERS_TOKEN, "x".repeat(RUNNERS_TOKEN.length)));
  });

  it("downloads the artifacts archive by build and by ref and job name", async () => {
    const expected = new TextEncoder().encode(ARTIFACT_BYTES);
    expect(await client().v3.builds.artifacts(1, ARTIFACT_BUILD)).toEqual(expected);
    expect(await client().v3.builds.artifactsForRef(1, "master", "package")).toEqual(expected);
  });

  it("maps a missing build to not_found and an unknown token to unauthorized", async () => {
    expect(await failure(client().v3.builds.get(1, 999))).toMatchObject({
      code: "not_found",
      status: 404,
      message: "404 Not Found",
    });
    expect(await failure(client("wrong-token").v3.builds.get(1, 1))).toMatchObject({
      code: "unauthorized",
      status: 401,
      message: "401 Unauthorized",
    });
  });

  it("hides a private project from a non-member as GitLab does", async () => {
    expect(await failure(client(GUEST_TOKEN).v3.builds.list(1).toArray())).toMatchObject({
      code: "not_found",
      message: "404 Project Not Found",
    });
  });
});

describe("v3 builds against the real server: actions", () => {
  it("retries a finished build into a NEW pending build", async () => {
    const retried = await client().v3.builds.retry(1, 2);
    expect(retried.id).toBe(RUNNING_BUILD + 1);
    expect(retried.status).toBe("pending");
    expect(retried.user?.username).toBe("root");
    expect((await client().v3.builds.get(1, 2)).status).toBe("failed");
  });

  it("refuses to retry a running build with 403 and GitLab's text", async () => {
    expect(await failure(client().v3.builds.retry(1, RUNNING_BUILD))).toMatchObject({
      code: "forbidden",
      status: 403,
      message: "403 Forbidden - Build is not retryable",
    });
  });

  it("cancels a running build, and answers a finished one unchanged", async () => {
    expect((await client().v3.builds.cancel(1, RUNNING_BUILD)).status).toBe("canceled");
    expect((await client().v3.builds.cancel(1, 1)).status).toBe(CYCLE[0]);
  });

  it("erases a finished build's trace and artifacts", async () => {
    const erased = await client().v3.builds.erase(1, ARTIFACT_BUILD);
    expect(erased.id).toBe(ARTIFACT_BUILD);
    expect(erased.artifacts_file ?? null).toBeNull();
    expect(await failure(client().v3.builds.artifacts(1, ARTIFACT_BUILD))).toMatchObject({
      code: "not_found",
    });
  });

  it("refuses to erase a running build", async () => {
    expect(await failure(client().v3.builds.erase(1, RUNNING_BUILD))).toMatchObject({
      code: "forbidden",
      message: "403 Forbidden - Build is not erasable!",
    });
  });

  it("keeps artifacts of a build that has them", async () => {
    expect((await client().v3.builds.keepArtifacts(1, ARTIFACT_BUILD)).id).toBe(ARTIFACT_BUILD);
    expect(await failure(client().v3.builds.keepArtifacts(1, 1))).toMatchObject({
      code: "not_found",
      status: 404,
    });
  });

  it("plays a manual build, and refuses a build that is not manual", async () => {
    const played = await client().v3.builds.play(1, MANUAL_BUILD);
    expect(played).toMatchObject({ id: MANUAL_BUILD, status: "pending" });
    const error = await failure(client().v3.builds.play(1, 1));
    expect(error.code).toBe("bad_request");
    expect(error.message).toContain("Unplayable Job");
  });
});
