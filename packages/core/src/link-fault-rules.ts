// Fault rules for the WebSocket links (issue #15): drop a runner's or a trace watcher's connection,
// delay trace delivery to watchers, refuse runners' claims. The same rule style as the HTTP fault rules
// (`id`, `match`, `times`, `percent`, `effect`), told apart by `on`. Checked field by field.

import type { Static } from "@sinclair/typebox";
import { Type } from "@sinclair/typebox";
import { type ControlInput, createControlInputParser } from "./contract-controls.js";
import { LiteralUnion } from "./schema-helpers.js";

/** Runner messages a rule can match (`message`). */
export const LINK_RUNNER_MESSAGES = ["hello", "claim", "trace", "heartbeat", "finish", "release"] as const;

/** A WebSocket fault rule as sent. */
export const LinkFaultRuleSchema = Type.Object(
  {
    id: Type.Optional(
      Type.String({ pattern: "^[A-Za-z0-9_.-]{1,64}$", description: "@default `fault-<n>`" }),
    ),
    on: LiteralUnion(["runner", "watcher"] as const, {
      description: "`runner`: the runner protocol's socket; `watcher`: a trace watcher's socket",
    }),
    match: Type.Optional(
      Type.Object(
        {
          runner: Type.Optional(Type.Integer({ minimum: 1, description: "The runner's id (runner links)" })),
          build: Type.Optional(
            Type.Integer({ minimum: 1, description: "The job watched, or named by the runner's message" }),
          ),
          message: Type.Optional(
            LiteralUnion(LINK_RUNNER_MESSAGES, {
              description: "The runner message that trips it (runner links)",
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    times: Type.Optional(Type.Integer({ minimum: 1, description: "Only the next N matching moments" })),
    percent: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 100, description: "This share, at random" }),
    ),
    effect: Type.Union([
      Type.Object(
        { type: Type.Literal("drop") },
        { additionalProperties: false, description: "The connection ends without a close frame (1006)" },
      ),
      Type.Object(
        { type: Type.Literal("refuse-claim") },
        { additionalProperties: false, description: "Runner links: the claim is answered `noJob` at once" },
      ),
      Type.Object(
        { type: Type.Literal("delay"), ms: Type.Integer({ minimum: 1, maximum: 600_000 }) },
        {
          additionalProperties: false,
          description: "Watcher links: this trace chunk (and what follows it) arrives `ms` later",
        },
      ),
    ]),
  },
  { additionalProperties: false },
);
/** A WebSocket fault rule, checked. */
export type LinkFaultRule = Static<typeof LinkFaultRuleSchema>;
/** What a WebSocket fault does. */
export type LinkFaultEffect = LinkFaultRule["effect"];

const parseShape = createControlInputParser(LinkFaultRuleSchema);

/** Checks a link fault rule: its shape, then that its effect and match fit its `on`. */
export function parseLinkFaultRule(value: unknown, prefix: string): ControlInput<LinkFaultRule> {
  const shape = parseShape(value, prefix);
  if (!shape.ok) return shape;
  const rule = shape.value;
  if (rule.on === "watcher") {
    if (rule.effect.type === "refuse-claim")
      return { ok: false, error: `${prefix}.effect.type refuse-claim is for runner links` };
    if (rule.match?.runner !== undefined || rule.match?.message !== undefined)
      return { ok: false, error: `${prefix}.match of a watcher link takes only build` };
  } else if (rule.effect.type === "delay")
    return { ok: false, error: `${prefix}.effect.type delay is for watcher links` };
  return shape;
}
