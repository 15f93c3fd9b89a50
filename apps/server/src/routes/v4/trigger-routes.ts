// The pipeline trigger routes under /api/v4 with their OpenAPI contracts: the trigger tokens API and the
// two ways to run a pipeline with a token (https://docs.gitlab.com/17.0/ee/api/pipeline_triggers.html).

import { PipelineEntitySchema, TriggerEntitySchema } from "@buildsim/core";
import { Type } from "@sinclair/typebox";
import { empty, json, type RouteSpec } from "../../http/route-spec.js";
import type { Router } from "../../http/router.js";
import type { RouteHandler } from "../route-handler.js";
import { triggerPipelineRoute } from "./trigger-pipeline-route.js";
import {
  createTriggerRoute,
  deleteTriggerRoute,
  getTrigger,
  listTriggers,
  updateTriggerRoute,
} from "./trigger-token-routes.js";

const v4 = (summary: string, responses: RouteSpec["responses"], params?: RouteSpec["params"]): RouteSpec => ({
  summary,
  api: "v4",
  responses,
  ...(params ? { params } : {}),
});
const trigger = (status: 200 | 201) => ({ [status]: json("The trigger token", TriggerEntitySchema) });
const triggered = v4(
  "Trigger a pipeline with a token",
  { 201: json("The pipeline", PipelineEntitySchema) },
  Type.Object({
    token: Type.String({ description: "A trigger token, or a running job's CI job token" }),
    ref: Type.Optional(Type.String({ description: "Branch or tag (in the path for the `ref/:ref` form)" })),
    variables: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: "`variables[KEY]=value`, or a JSON object" }),
    ),
  }),
);

/** Adds the trigger routes. */
export function addTriggerRoutes(router: Router<RouteHandler>): void {
  const p = "/api/v4/projects/:id";
  const t = `${p}/triggers/:trigger_id`;
  router
    .add("POST", `${p}/trigger/pipeline`, triggerPipelineRoute, triggered)
    .add("POST", `${p}/ref/*ref/trigger/pipeline`, triggerPipelineRoute, triggered)
    .add(
      "GET",
      `${p}/triggers`,
      listTriggers,
      v4("List project trigger tokens", {
        200: json("The trigger tokens, oldest first (paginated)", Type.Array(TriggerEntitySchema)),
      }),
    )
    .add(
      "POST",
      `${p}/triggers`,
      createTriggerRoute,
      v4("Create a trigger token", trigger(201), Type.Object({ description: Type.String() })),
    )
    .add("GET", t, getTrigger, v4("Get trigger token details", trigger(200)))
    .add(
      "PUT",
      t,
      updateTriggerRoute,
      v4(
        "Update a pipeline trigger token",
        trigger(200),
        Type.Object({ description: Type.Optional(Type.String()) }),
      ),
    )
    .add("DELETE", t, deleteTriggerRoute, v4("Remove a pipeline trigger token", { 204: empty("Deleted") }));
}
