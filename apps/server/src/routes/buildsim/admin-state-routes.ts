// The state as data over HTTP (see admin-routes.ts for the prefix and access):
//
//   GET /-/buildsim/admin/state  → 200, the state as a seed document (JSON, which the seed loader reads)
//   PUT /-/buildsim/admin/state  (seed YAML or JSON as the body) → 204, the whole state replaced
//   PUT /-/buildsim/admin/state?mode=merge                         → 204, the fixture merged by id
//
// A fixture with problems (or contradicting the state, when merged) is 400 listing them, and nothing
// changes. The mode is a query parameter because the body is the seed file itself.

import { Type } from "@sinclair/typebox";
import { parseFixtureLoadMode, type StateFixtures } from "../../controls/state-fixtures.js";
import { jsonReply } from "../../http/reply.js";
import { empty, json } from "../../http/route-spec.js";
import type { Router } from "../../http/router.js";
import type { RouteHandler } from "../route-handler.js";
import { ADMIN_API_PREFIX, asAdmin, NO_CONTENT } from "./admin-access.js";

/** A fixture may hold traces and artifacts: more than the API's usual body. */
const MAX_FIXTURE_BYTES = 256 * 1024 * 1024;

/** Adds the state routes over `fixtures`. */
export function addAdminStateRoutes(router: Router<RouteHandler>, fixtures: StateFixtures): void {
  const path = `${ADMIN_API_PREFIX}/state`;
  router.add(
    "GET",
    path,
    asAdmin(() => jsonReply(200, fixtures.export())),
    {
      summary: "The whole state as a seed document (a fixture made from a run)",
      api: "admin",
      responses: { 200: json("The seed document", Type.Record(Type.String(), Type.Unknown())) },
    },
  );
  const load = asAdmin((ctx) => {
    fixtures.load(ctx.body.toString("utf8"), { mode: parseFixtureLoadMode(ctx.query.params.mode) });
    return NO_CONTENT;
  });
  load.maxBodyBytes = MAX_FIXTURE_BYTES;
  router.add("PUT", path, load, {
    summary:
      "Replace the whole state with a fixture (seed YAML or JSON in the body), or merge it in by id with ?mode=merge",
    api: "admin",
    responses: { 204: empty("Loaded") },
  });
}
