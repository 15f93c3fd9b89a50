// The fault controls over HTTP (see admin-routes.ts for the prefix and access):
//
//   GET    /-/buildsim/admin/faults       → {rules}: the rules in force, in the order they are tried
//   POST   /-/buildsim/admin/faults       (a rule, or {rules: [...]}) → 201 {rules}: the rules added
//   DELETE /-/buildsim/admin/faults       → 204, every rule removed
//   DELETE /-/buildsim/admin/faults/:id   → 204, or 404 {"message": "404 Fault Not Found"}
//
// A bad rule is 400 naming its field and adds nothing, not even the good rules sent with it.

import { FaultRuleSchema, LinkFaultRuleSchema } from "@buildsim/core";
import { Type } from "@sinclair/typebox";
import type { FaultPlan } from "../../http/fault-plan.js";
import { jsonReply } from "../../http/reply.js";
import { empty, json } from "../../http/route-spec.js";
import type { Router } from "../../http/router.js";
import type { RouteHandler } from "../route-handler.js";
import { ADMIN_API_PREFIX, asAdmin, jsonBody, NO_CONTENT } from "./admin-access.js";

const Counts = Type.Object({
  id: Type.String(),
  effect: Type.Object({ type: Type.String() }),
  hits: Type.Integer({ minimum: 0, description: "Requests (or link moments) it has broken" }),
  remaining: Type.Optional(Type.Integer({ minimum: 0, description: "For `times` rules: how many more" })),
});
// An HTTP rule, or a WebSocket link rule (with `on`).
const Rule = Type.Union([
  Type.Composite([Type.Omit(FaultRuleSchema, ["effect"]), Counts]),
  Type.Composite([Type.Omit(LinkFaultRuleSchema, ["effect"]), Counts]),
]);
const Rules = Type.Object({ rules: Type.Array(Rule) });

/** `{rules: [...]}`, or one rule. */
function rulesIn(body: unknown): { inputs: unknown[]; prefix: string } {
  if (body && typeof body === "object" && !Array.isArray(body) && "rules" in body) {
    const { rules, ...rest } = body as { rules: unknown };
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined || !Array.isArray(rules)) return { inputs: [body], prefix: "rule" }; // reported by the rule parser, naming the field
    return { inputs: rules, prefix: "rules" };
  }
  return { inputs: [body], prefix: "rule" };
}

/** Adds the fault routes over `faults`. */
export function addAdminFaultRoutes(router: Router<RouteHandler>, faults: FaultPlan): void {
  const base = `${ADMIN_API_PREFIX}/faults`;
  router.add(
    "GET",
    base,
    asAdmin(() => jsonReply(200, { rules: faults.list() })),
    {
      summary: "The fault rules in force, in the order they are tried",
      api: "admin",
      responses: { 200: json("The rules", Rules) },
    },
  );
  router.add(
    "POST",
    base,
    asAdmin((ctx) => {
      const { inputs, prefix } = rulesIn(jsonBody(ctx));
      return jsonReply(201, { rules: faults.addUnchecked(inputs, prefix) });
    }),
    {
      summary: "Add fault rules (one rule, or {rules: [...]}); all or none",
      api: "admin",
      params: FaultRuleSchema,
      responses: { 201: json("The rules added", Rules) },
    },
  );
  router.add(
    "DELETE",
    base,
    asAdmin(() => {
      faults.clear();
      return NO_CONTENT;
    }),
    { summary: "Remove every fault rule", api: "admin", responses: { 204: empty("Removed") } },
  );
  router.add(
    "DELETE",
    `${base}/:id`,
    asAdmin((ctx) =>
      faults.remove(ctx.route.id ?? "") ? NO_CONTENT : jsonReply(404, { message: "404 Fault Not Found" }),
    ),
    { summary: "Remove one fault rule", api: "admin", responses: { 204: empty("Removed") } },
  );
}
