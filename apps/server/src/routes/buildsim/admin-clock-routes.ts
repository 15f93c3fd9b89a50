// The clock control over HTTP (see admin-routes.ts for the prefix and access). Each answers the clock
// as it then stands, `{now, frozen}`:
//
//   GET  /-/buildsim/admin/clock           → the server's time
//   POST /-/buildsim/admin/clock/freeze    ({at?}) → time stands still (at `at`, else where it is)
//   POST /-/buildsim/admin/clock/unfreeze  → time runs again from where it stands
//   POST /-/buildsim/admin/clock/set       ({at}) → jumps there (refused before a running job's start)
//   POST /-/buildsim/admin/clock/advance   ({by}) → moves forward (ms, or a duration: "3 mins")
//   POST /-/buildsim/admin/clock/real      → back to real time

import { Type } from "@sinclair/typebox";
import type { ClockControl, ClockInfo } from "../../controls/clock-control.js";
import { ControlInputError } from "../../http/control-input-error.js";
import { jsonReply } from "../../http/reply.js";
import { json } from "../../http/route-spec.js";
import type { Router } from "../../http/router.js";
import type { RouteHandler } from "../route-handler.js";
import { ADMIN_API_PREFIX, asAdmin, jsonBody } from "./admin-access.js";

const Info = Type.Object({
  now: Type.String({ description: "ISO 8601, UTC" }),
  frozen: Type.Boolean(),
});
const At = Type.Union([Type.String({ description: "ISO 8601 with a time zone" }), Type.Number()], {
  description: "A moment: ISO 8601 with a time zone, or epoch milliseconds",
});
const By = Type.Union([Type.Number({ minimum: 0 }), Type.String()], {
  description: 'Milliseconds, or a duration as GitLab writes them ("90", "3 mins", "1h 30m")',
});

/** The body's fields, refusing any not in `allowed` and requiring those in `required`. */
function fieldsOf(body: unknown, allowed: string[], required: string[]): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new ControlInputError("body must be a JSON object");
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((k) => !allowed.includes(k));
  if (unknown !== undefined) throw new ControlInputError(`${unknown} is not a known field`);
  const missing = required.find((k) => fields[k] === undefined);
  if (missing !== undefined) throw new ControlInputError(`${missing} is missing`);
  return fields;
}

/** Adds the clock routes over `clock`. */
export function addAdminClockRoutes(router: Router<RouteHandler>, clock: ClockControl): void {
  const base = `${ADMIN_API_PREFIX}/clock`;
  const answer = (summary: string) => ({
    summary,
    api: "admin" as const,
    responses: { 200: json("The server's time", Info) },
  });
  const reply = (info: ClockInfo) => jsonReply(200, info);
  router.add(
    "GET",
    base,
    asAdmin(() => reply(clock.info())),
    answer("The server's time, and whether it stands still"),
  );
  router.add(
    "POST",
    `${base}/freeze`,
    asAdmin((ctx) => {
      const { at } = fieldsOf(jsonBody(ctx), ["at"], []);
      return reply(clock.freeze(at as never));
    }),
    {
      ...answer("Stop the server's time (at `at`, else where it is)"),
      params: Type.Object({ at: Type.Optional(At) }),
    },
  );
  router.add(
    "POST",
    `${base}/unfreeze`,
    asAdmin(() => reply(clock.unfreeze())),
    answer("Let the server's time run again from where it stands"),
  );
  router.add(
    "POST",
    `${base}/set`,
    asAdmin((ctx) => reply(clock.set(fieldsOf(jsonBody(ctx), ["at"], ["at"]).at as never))),
    { ...answer("Move the server's time to `at`"), params: Type.Object({ at: At }) },
  );
  router.add(
    "POST",
    `${base}/advance`,
    asAdmin((ctx) => reply(clock.advance(fieldsOf(jsonBody(ctx), ["by"], ["by"]).by as never))),
    { ...answer("Move the server's time forward by `by`"), params: Type.Object({ by: By }) },
  );
  router.add(
    "POST",
    `${base}/real`,
    asAdmin(() => reply(clock.useRealTime())),
    answer("Put the server back on real time"),
  );
}
