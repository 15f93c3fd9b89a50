// The fault rules in force: added (all or nothing), listed, removed; and for each request, the one rule
// (the first that matches, in the order added) whose effect the HTTP layer applies to it.

import { type FaultEffect, type FaultRule, parseFaultRule } from "@buildsim/core";
import { ControlInputError } from "./control-input-error.js";
import { type CompiledMatcher, compileMatcher, type MatchableRequest } from "./request-matcher.js";

/** A rule in force, as listed. */
export interface FaultRuleState extends FaultRule {
  id: string;
  /** Requests it has broken so far. */
  hits: number;
  /** For `times` rules: how many more it will break. */
  remaining?: number;
}

interface Active {
  state: FaultRuleState;
  matcher: CompiledMatcher;
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

  constructor(readonly random: () => number = Math.random) {}

  /** True when some rule is in force: the request path checks this before anything else. */
  get active(): boolean {
    return this.rules.length > 0;
  }

  /** Whether some rule looks at request bodies (the decision then waits for the body). */
  get readsBody(): boolean {
    return this.rules.some((r) => r.matcher.readsBody);
  }

  /**
   * Adds rules (one, or a list tried in order), all or none: the first bad one throws ControlInputError
   * naming its field (`rules.1.effect.status`) and none is added. Returns the rules as added.
   */
  add(rules: FaultRule | readonly FaultRule[]): FaultRuleState[] {
    return Array.isArray(rules) ? this.addUnchecked(rules, "rules") : this.addUnchecked([rules], "rule");
  }

  /** `add` for untrusted input (the admin API's body): `prefix.<i>` names a rule in errors. */
  addUnchecked(inputs: readonly unknown[], prefix: string): FaultRuleState[] {
    const ids = new Set(this.rules.map((r) => r.state.id));
    const added: Active[] = [];
    inputs.forEach((input, i) => {
      const at = inputs.length === 1 && prefix === "rule" ? prefix : `${prefix}.${i}`;
      const parsed = parseFaultRule(input, at);
      if (!parsed.ok) throw new ControlInputError(parsed.error);
      const matcher = compileMatcher(parsed.value.match ?? {}, `${at}.match`);
      if (!matcher.ok) throw new ControlInputError(matcher.error);
      const id = parsed.value.id ?? `fault-${this.counter + added.length + 1}`;
      if (ids.has(id)) throw new ControlInputError(`${at}.id ${JSON.stringify(id)} is already in use`);
      ids.add(id);
      const state: FaultRuleState = {
        ...parsed.value,
        id,
        hits: 0,
        ...(parsed.value.times === undefined ? {} : { remaining: parsed.value.times }),
      };
      added.push({ state, matcher: matcher.value });
    });
    this.counter += added.length;
    this.rules.push(...added);
    return added.map((a) => ({ ...a.state }));
  }

  /** The rules in force, in the order they are tried. */
  list(): FaultRuleState[] {
    return this.rules.map((r) => ({ ...r.state }));
  }

  /** Removes rule `id`; false when there is none. */
  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.state.id !== id);
    return this.rules.length < before;
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** The fault for `request`, if a rule takes it; counts the hit (a spent `times` rule goes away). */
  decide(request: MatchableRequest): FaultDecision | undefined {
    for (const rule of this.rules) {
      const s = rule.state;
      if (!rule.matcher.matches(request)) continue;
      if (s.percent !== undefined && this.random() * 100 >= s.percent) continue;
      s.hits++;
      if (s.remaining !== undefined && --s.remaining === 0) this.remove(s.id);
      return { id: s.id, effect: s.effect };
    }
    return undefined;
  }
}
