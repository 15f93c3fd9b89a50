// Fault rules for the contract-testing controls (issue #15): which requests to break and how, the way
// GitLab and the proxies in front of it fail. Checked field by field so an error names the field.

import type { Static, TObject } from "@sinclair/typebox";
import { Type } from "@sinclair/typebox";
import { type ControlInput, createControlInputParser, RequestMatcherSchema } from "./contract-controls.js";
import { LiteralUnion } from "./schema-helpers.js";

const Ms = (description: string) => Type.Integer({ minimum: 0, maximum: 600_000, description });

/** What a fault does to a request it matches, by `type`. */
export const FAULT_EFFECT_SCHEMAS = {
  /** Rack::Attack's throttle: 429, `Retry later`, `Retry-After` and `RateLimit-*` headers. */
  "rate-limit": Type.Object(
    {
      type: Type.Literal("rate-limit"),
      retryAfterSeconds: Type.Optional(
        Type.Integer({ minimum: 0, maximum: 86_400, description: "@default 60" }),
      ),
      limit: Type.Optional(Type.Integer({ minimum: 1, description: "`RateLimit-Limit`. @default 600" })),
    },
    { additionalProperties: false },
  ),
  /** GitLab's 500, Workhorse's 502 when Rails does not answer, the front proxy's 503. */
  error: Type.Object(
    {
      type: Type.Literal("error"),
      status: Type.Union([Type.Literal(500), Type.Literal(502), Type.Literal(503)]),
    },
    { additionalProperties: false },
  ),
  /** Answers late: `ms`, or a random time between `minMs` and `maxMs`; then as usual. */
  delay: Type.Object(
    {
      type: Type.Literal("delay"),
      ms: Type.Optional(Ms("A fixed delay")),
      minMs: Type.Optional(Ms("A random delay's lower bound")),
      maxMs: Type.Optional(Ms("A random delay's upper bound")),
    },
    { additionalProperties: false },
  ),
  /** Drops the connection: before any response (the request is not served), or after the headers. */
  reset: Type.Object(
    { type: Type.Literal("reset"), when: LiteralUnion(["before-headers", "after-headers"] as const) },
    { additionalProperties: false },
  ),
  /** Serves the request but sends only the first `bytes` of the body (half by default), then closes. */
  truncate: Type.Object(
    { type: Type.Literal("truncate"), bytes: Type.Optional(Type.Integer({ minimum: 0 })) },
    { additionalProperties: false },
  ),
} as const satisfies Record<string, TObject>;

/** One kind of fault effect. */
export type FaultEffect = Static<(typeof FAULT_EFFECT_SCHEMAS)[keyof typeof FAULT_EFFECT_SCHEMAS]>;

/** A fault rule as sent: which requests (`match`), how often, and what happens to them. */
export const FaultRuleSchema = Type.Object(
  {
    id: Type.Optional(
      Type.String({ pattern: "^[A-Za-z0-9_.-]{1,64}$", description: "@default `fault-<n>`" }),
    ),
    match: Type.Optional(Type.Omit(RequestMatcherSchema, ["status"], { additionalProperties: false })),
    times: Type.Optional(Type.Integer({ minimum: 1, description: "Only the next N matching requests" })),
    percent: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 100,
        description: "This share of matching requests, at random",
      }),
    ),
    effect: Type.Object({ type: LiteralUnion(Object.keys(FAULT_EFFECT_SCHEMAS) as never) }),
  },
  { additionalProperties: false },
);

/** A fault rule, checked. */
export type FaultRule = Omit<Static<typeof FaultRuleSchema>, "effect"> & { effect: FaultEffect };

const parseOuter = createControlInputParser(FaultRuleSchema);
const effectParsers = Object.fromEntries(
  Object.entries(FAULT_EFFECT_SCHEMAS).map(([type, schema]) => [type, createControlInputParser(schema)]),
) as Record<string, (value: unknown, prefix: string) => ControlInput<FaultEffect>>;

/** Checks a fault rule; the error names the field under `prefix` (`rules.0.effect.status`). */
export function parseFaultRule(value: unknown, prefix: string): ControlInput<FaultRule> {
  const outer = parseOuter(value, prefix);
  if (!outer.ok) return outer;
  const effect = effectParsers[outer.value.effect.type]!(
    (value as { effect: unknown }).effect,
    `${prefix}.effect`,
  );
  if (!effect.ok) return effect;
  if (effect.value.type === "delay") {
    const { ms, minMs, maxMs } = effect.value;
    const fixed = ms !== undefined;
    const random = minMs !== undefined || maxMs !== undefined;
    if (fixed === random) return { ok: false, error: `${prefix}.effect needs either ms or minMs and maxMs` };
    if (random && (minMs === undefined || maxMs === undefined || minMs > maxMs))
      return { ok: false, error: `${prefix}.effect.maxMs must be at least minMs, and both given` };
  }
  return { ok: true, value: { ...outer.value, effect: effect.value } };
}
