// Named snapshots over HTTP (see admin-routes.ts for the prefix and access):
//
//   GET    /-/buildsim/admin/snapshots                → {snapshots: [{name, takenAt}]}
//   POST   /-/buildsim/admin/snapshots                ({name}) → 201 {name, takenAt}
//   POST   /-/buildsim/admin/snapshots/:name/restore  → 204, or 404 {"message": "404 Snapshot Not Found"}
//   DELETE /-/buildsim/admin/snapshots/:name          → 204, or 404

import { Type } from "@sinclair/typebox";
import type { NamedSnapshots } from "../../controls/named-snapshots.js";
import { ControlInputError } from "../../http/control-input-error.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import { empty, json } from "../../http/route-spec.js";
import type { Router } from "../../http/router.js";
import type { RouteHandler } from "../route-handler.js";
import { ADMIN_API_PREFIX, asAdmin, jsonBody, NO_CONTENT } from "./admin-access.js";

const Info = Type.Object({ name: Type.String(), takenAt: Type.String({ description: "ISO 8601" }) });
const NOT_FOUND: Reply = jsonReply(404, { message: "404 Snapshot Not Found" });

/** `{name}` with nothing else in it. */
function nameIn(body: unknown): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new ControlInputError("name is missing");
  const { name, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw new ControlInputError(`${unknown} is not a known field`);
  if (name === undefined) throw new ControlInputError("name is missing");
  return name;
}

/** Adds the snapshot routes over `snapshots`. */
export function addAdminSnapshotRoutes(router: Router<RouteHandler>, snapshots: NamedSnapshots): void {
  const base = `${ADMIN_API_PREFIX}/snapshots`;
  router.add(
    "GET",
    base,
    asAdmin(() => jsonReply(200, { snapshots: snapshots.list() })),
    {
      summary: "The named snapshots, oldest first",
      api: "admin",
      responses: { 200: json("The snapshots", Type.Object({ snapshots: Type.Array(Info) })) },
    },
  );
  router.add(
    "POST",
    base,
    asAdmin((ctx) => jsonReply(201, snapshots.take(nameIn(jsonBody(ctx))))),
    {
      summary: "Copy the whole state (rows and artifact files) under a name",
      api: "admin",
      params: Type.Object({ name: Type.String({ pattern: "^[A-Za-z0-9_.-]{1,64}$" }) }),
      responses: { 201: json("The snapshot", Info) },
    },
  );
  router.add(
    "POST",
    `${base}/:name/restore`,
    asAdmin((ctx) => (snapshots.restore(ctx.route.name ?? "") ? NO_CONTENT : NOT_FOUND)),
    {
      summary: "Put the state back as a snapshot had it",
      api: "admin",
      responses: { 204: empty("Restored") },
    },
  );
  router.add(
    "DELETE",
    `${base}/:name`,
    asAdmin((ctx) => (snapshots.drop(ctx.route.name ?? "") ? NO_CONTENT : NOT_FOUND)),
    { summary: "Forget a snapshot", api: "admin", responses: { 204: empty("Dropped") } },
  );
}
