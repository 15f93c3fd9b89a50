// The contract-testing controls over HTTP, under a prefix outside GitLab's path space (GitLab reserves
// `/-/` for its own non-API routes, and has no `/-/buildsim`). An admin's token is required, sent as
// for the API (PRIVATE-TOKEN, `private_token`, Bearer): 401 without a valid one, 403 for a non-admin.
//
//   POST   /-/buildsim/admin/reset            → 204, the server as it started
//   GET    /-/buildsim/admin/requests         → {requests, dropped}: the journal, oldest first
//   POST   /-/buildsim/admin/requests/find    (a request matcher) → {requests}
//   POST   /-/buildsim/admin/requests/count   (a request matcher) → {count}
//   POST   /-/buildsim/admin/requests/verify  ({count, matcher}) → 200 {matched} or 409 {message, matched}
//   DELETE /-/buildsim/admin/requests         → 204, the journal emptied
//
// Requests under the prefix are never journaled. Bad input is 400 `{"error": "<field> …"}`.

import { Count, JournalEntrySchema, RequestMatcherSchema, VerifyCountSchema } from "@buildsim/core";
import { Type } from "@sinclair/typebox";
import type { ContractControls } from "../../controls/contract-controls.js";
import { ControlInputError } from "../../http/control-input-error.js";
import { jsonReply } from "../../http/reply.js";
import { empty, json } from "../../http/route-spec.js";
import type { Router } from "../../http/router.js";
import type { RouteHandler } from "../route-handler.js";
import { ADMIN_API_PREFIX, asAdmin, jsonBody, NO_CONTENT } from "./admin-access.js";
import { addAdminClockRoutes } from "./admin-clock-routes.js";
import { addAdminFaultRoutes } from "./admin-fault-routes.js";
import { addAdminJobRoutes } from "./admin-job-routes.js";
import { addAdminSnapshotRoutes } from "./admin-snapshot-routes.js";
import { addAdminStateRoutes } from "./admin-state-routes.js";

export { ADMIN_API_PREFIX } from "./admin-access.js";

/** `{count, matcher}` with nothing else in it. */
function verifyInput(body: unknown): { count: unknown; matcher: unknown } {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new ControlInputError("body must be an object with count and matcher");
  const { count, matcher = {}, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw new ControlInputError(`${unknown} is not a known field`);
  if (count === undefined) throw new ControlInputError("count is missing");
  return { count, matcher };
}

const Requests = Type.Array(JournalEntrySchema);
const adminSpec = (summary: string) => ({ summary, api: "admin" as const });

/** Adds the admin API over `controls`. */
export function addAdminRoutes(router: Router<RouteHandler>, controls: ContractControls): void {
  addAdminFaultRoutes(router, controls.faults);
  addAdminSnapshotRoutes(router, controls.snapshots);
  addAdminClockRoutes(router, controls.clock);
  addAdminJobRoutes(router, controls.jobs);
  addAdminStateRoutes(router, controls.fixtures);
  const journal = controls.requests;
  router.add(
    "POST",
    `${ADMIN_API_PREFIX}/reset`,
    asAdmin(() => {
      controls.reset();
      return NO_CONTENT;
    }),
    {
      ...adminSpec("Put the server back as it started (seed), empty the journal"),
      responses: { 204: empty("Reset") },
    },
  );
  router.add(
    "GET",
    `${ADMIN_API_PREFIX}/requests`,
    asAdmin(() => jsonReply(200, { requests: journal.all(), dropped: journal.dropped })),
    {
      ...adminSpec("The request journal, oldest first"),
      responses: {
        200: json(
          "The journal",
          Type.Object({ requests: Requests, dropped: Count("Requests dropped to stay bounded") }),
        ),
      },
    },
  );
  router.add(
    "DELETE",
    `${ADMIN_API_PREFIX}/requests`,
    asAdmin(() => {
      journal.clear();
      return NO_CONTENT;
    }),
    { ...adminSpec("Empty the request journal"), responses: { 204: empty("Emptied") } },
  );
  router.add(
    "POST",
    `${ADMIN_API_PREFIX}/requests/find`,
    asAdmin((ctx) => jsonReply(200, { requests: journal.find(jsonBody(ctx) as never) })),
    {
      ...adminSpec("Journaled requests matching a request matcher"),
      params: RequestMatcherSchema,
      responses: { 200: json("The matching requests", Type.Object({ requests: Requests })) },
    },
  );
  router.add(
    "POST",
    `${ADMIN_API_PREFIX}/requests/count`,
    asAdmin((ctx) => jsonReply(200, { count: journal.count(jsonBody(ctx) as never) })),
    {
      ...adminSpec("How many journaled requests match a request matcher"),
      params: RequestMatcherSchema,
      responses: { 200: json("The count", Type.Object({ count: Count() })) },
    },
  );
  router.add(
    "POST",
    `${ADMIN_API_PREFIX}/requests/verify`,
    asAdmin((ctx) => {
      const { count, matcher } = verifyInput(jsonBody(ctx));
      const result = journal.check(count as never, matcher as never);
      return result.ok
        ? jsonReply(200, { matched: result.matched })
        : jsonReply(409, { message: result.message, matched: result.matched });
    }),
    {
      ...adminSpec("Check that a number of journaled requests match; 409 with a readable diff when not"),
      params: Type.Object({ count: VerifyCountSchema, matcher: Type.Optional(RequestMatcherSchema) }),
      responses: {
        200: json("The count matched", Type.Object({ matched: Count() })),
        409: json("The count did not match", Type.Object({ message: Type.String(), matched: Count() })),
      },
    },
  );
}
