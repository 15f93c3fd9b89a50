// The fault rules in force: added (all or nothing), listed, removed; and for each request, the one rule
// (the first that matches, in the order added) whose effect the HTTP layer applies to it. Rules with `on`
// are for the WebSocket links (runners, trace watchers); the ws layer asks `decideLink` at its moments.

import {
  type FaultEffect,
  type FaultRule,
  type LinkFaultEffect,
  type LinkFaultRule,
  parseFaultRule,
  parseLinkFaultRule,
} from "@buildsim/core";
import { ControlInputError } from "./control-input-error.js";
import { type CompiledMatcher, compileMatcher, type MatchableRequest } from "./request-matcher.js";

/** How often a rule has struck, as listed. */
interface RuleCounts {
  id: string;
  /** Requests (or link moments) it has broken so far. */
  hits: number;
  /** For `times` rules: how many more it will break. */
  remaining?: number;
}

/** A rule in force, as listed: an HTTP rule, or a link rule (with `on`). */
export type FaultRuleState = (FaultRule & RuleCounts) | (LinkFaultRule & RuleCounts);

type Active =
  | { kind: "http"; state: FaultRule & RuleCounts; matcher: CompiledMatcher }
  | { kind: "link"; state: LinkFaultRule & RuleCounts };

/** A moment on a WebSocket link a rule may break. */
export interface LinkMoment {
  on: "runner" | "watcher";
  runner?: number;
  build?: number;
  message?: string;
}

/** What the ws layer does at one moment. */
export interface LinkFaultDecision {
  id: string;
  effect: LinkFaultEffect;
}

/** What the HTTP layer does to one request. */
export interface FaultDecision {
  id: string;
  effect: FaultEffect;
}

/** The fault rules of one server. `random` returns [0, 1) (injectable for tests). */
export class FaultPlan {
  private rules: Active[] = [];
  private counter = 0;
  private httpRules = 0;
  private linkRules = 0;

  constructor(readonly random: () => number = Math.random) {}

  /** True when some rule is in force: the request path checks this before anything else. */
  get active(): boolean {
    return this.httpRules > 0;
  }

  /** True when some link rule is in force: the ws layer checks this before anything else. */
  get linkActive(): boolean {
    return this.linkRules > 0;
  }

  /** Whether some rule looks at request bodies (the decision then waits for the body). */
  get readsBody(): boolean {
    return this.rules.some((r) => r.kind === "http" && r.matcher.readsBody);
  }

  /**
   * Adds rules (one, or a list tried in order), all or none: the first bad one throws ControlInputError
   * naming its field (`rules.1.effect.status`) and none is added. Returns the rules as added.
   */
  add(rules: FaultRule | LinkFaultRule | ReadonlyArray<FaultRule | LinkFaultRule>): FaultRuleState[] {
    return Array.isArray(rules) ? this.addUnchecked(rules, "rules") : this.addUnchecked([rules], "rule");
  }

  /** `add` for untrusted input (the admin API's body): `prefix.<i>` names a rule in errors. */
  addUnchecked(inputs: readonly unknown[], prefix: string): FaultRuleState[] {
    const ids = new Set(this.rules.map((r) => r.state.id));
    const added: Active[] = [];
    inputs.forEach((input, i) => {
      const at = inputs.length === 1 && prefix === "rule" ? prefix : `${prefix}.${i}`;
      const isLink = typeof input === "object" && input !== null && "on" in input;
      let active: Active;
      if (isLink) {
        const parsed = parseLinkFaultRule(input, at);
        if (!parsed.ok) throw new ControlInputError(parsed.error);
        active = { kind: "link", state: this.counted(parsed.value, ids, at, added.length) };
      } else {
        const parsed = parseFaultRule(input, at);
        if (!parsed.ok) throw new ControlInputError(parsed.error);
        const matcher = compileMatcher(parsed.value.match ?? {}, `${at}.match`);
        if (!matcher.ok) throw new ControlInputError(matcher.error);
        active = {
          kind: "http",
          state: this.counted(parsed.value, ids, at, added.length),
          matcher: matcher.value,
        };
      }
      added.push(active);
    });
    this.counter += added.length;
    this.rules.push(...added);
    this.recount();
    return added.map((a) => ({ ...a.state }));
  }

  /** `rule` with its id (checked unique against `ids`, which it joins) and counts. */
  private counted<R extends FaultRule | LinkFaultRule>(
    rule: R,
    ids: Set<string>,
    at: string,
    addedSoFar: number,
  ): R & RuleCounts {
    const id = rule.id ?? `fault-${this.counter + addedSoFar + 1}`;
    if (ids.has(id)) throw new ControlInputError(`${at}.id ${JSON.stringify(id)} is already in use`);
    ids.add(id);
    return { ...rule, id, hits: 0, ...(rule.times === undefined ? {} : { remaining: rule.times }) };
  }

  private recount(): void {
    this.httpRules = this.rules.filter((r) => r.kind === "http").length;
    this.linkRules = this.rules.length - this.httpRules;
  }

  /** The rules in force, in the order they are tried. */
  list(): FaultRuleState[] {
    return this.rules.map((r) => ({ ...r.state }));
  }

  /** Removes rule `id`; false when there is none. */
  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.state.id !== id);
    this.recount();
    return this.rules.length < before;
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
    this.recount();
  }

  /** The fault for `request`, if a rule takes it; counts the hit (a spent `times` rule goes away). */
  decide(request: MatchableRequest): FaultDecision | undefined {
    for (const rule of this.rules) {
      if (rule.kind !== "http" || !rule.matcher.matches(request) || !this.strikes(rule.state)) continue;
      return { id: rule.state.id, effect: rule.state.effect };
    }
    return undefined;
  }

  /** The fault for a moment on a WebSocket link, if a link rule takes it; counts the hit. */
  decideLink(moment: LinkMoment): LinkFaultDecision | undefined {
    for (const rule of this.rules) {
      if (rule.kind !== "link") continue;
      const s = rule.state;
      const m = s.match;
      if (s.on !== moment.on) continue;
      if (m?.runner !== undefined && m.runner !== moment.runner) continue;
      if (m?.build !== undefined && m.build !== moment.build) continue;
      if (m?.message !== undefined && m.message !== moment.message) continue;
      // A claim refusal only ever concerns claims.
      if (s.effect.type === "refuse-claim" && moment.message !== "claim") continue;
      if (!this.strikes(s)) continue;
      return { id: s.id, effect: s.effect };
    }
    return undefined;
  }

  /** Draws a `percent` rule's chance and counts the hit (a spent `times` rule goes away). */
  private strikes(s: RuleCounts & { percent?: number }): boolean {
    if (s.percent !== undefined && this.random() * 100 >= s.percent) return false;
    s.hits++;
    if (s.remaining !== undefined && --s.remaining === 0) this.remove(s.id);
    return true;
  }
}
