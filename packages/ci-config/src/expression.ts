// GitLab's CI/CD expression language for `rules:if`, `only:variables` and `workflow:rules:if`:
// `$VAR`, "strings", /patterns/flags, null, ==, !=, =~, !~, && (binds tighter), || and parentheses.

type Token =
  | { kind: "variable"; name: string }
  | { kind: "string"; value: string }
  | { kind: "pattern"; source: string; flags: string }
  | { kind: "null" }
  | { kind: "op"; op: "==" | "!=" | "=~" | "!~" | "&&" | "||" }
  | { kind: "paren"; open: boolean };

type Expr =
  | { kind: "variable"; name: string }
  | { kind: "string"; value: string }
  | { kind: "pattern"; source: string; flags: string }
  | { kind: "null" }
  | { kind: "binary"; op: "==" | "!=" | "=~" | "!~" | "&&" | "||"; left: Expr; right: Expr };

/** A parsed expression, ready to evaluate against many variable sets. */
export interface CiExpression {
  readonly source: string;
  evaluate(variables: Readonly<Record<string, string>>): boolean;
}

/** The result of parsing untrusted expression text. */
export type ParseExpressionResult = { ok: true; expression: CiExpression } | { ok: false; error: string };

const OPERATORS = ["==", "!=", "=~", "!~", "&&", "||"] as const;
// GitLab's lexer gives up on longer statements ("Too many tokens!").
const MAX_TOKENS = 100;

function tokenize(text: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "(" || ch === ")") {
      tokens.push({ kind: "paren", open: ch === "(" });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: "op", op });
      i += 2;
      continue;
    }
    if (ch === "$") {
      const name = /^\w+/.exec(text.slice(i + 1))?.[0];
      if (!name) return null;
      tokens.push({ kind: "variable", name });
      i += 1 + name.length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) return null;
      tokens.push({ kind: "string", value: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (ch === "/") {
      const pattern = readPattern(text, i);
      if (!pattern) return null;
      tokens.push({ kind: "pattern", source: pattern.source, flags: pattern.flags });
      i = pattern.end;
      continue;
    }
    if (text.startsWith("null", i) && !/\w/.test(text[i + 4] ?? "")) {
      tokens.push({ kind: "null" });
      i += 4;
      continue;
    }
    return null;
  }
  return tokens;
}

function readPattern(text: string, start: number): { source: string; flags: string; end: number } | null {
  let i = start + 1;
  let source = "";
  while (i < text.length && text[i] !== "/") {
    if (text[i] === "\\" && i + 1 < text.length) {
      // An escaped slash is a literal slash; other escapes stay for the regex engine.
      source += text[i + 1] === "/" ? "/" : text.slice(i, i + 2);
      i += 2;
      continue;
    }
    source += text[i];
    i++;
  }
  if (i >= text.length || source === "") return null;
  const flags = /^[ismU]*/.exec(text.slice(i + 1))?.[0] ?? "";
  return { source, flags, end: i + 1 + flags.length };
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr | null {
    const expr = this.or();
    return expr && this.index === this.tokens.length ? expr : null;
  }

  private peekOp(): string | null {
    const token = this.tokens[this.index];
    return token?.kind === "op" ? token.op : null;
  }

  private or(): Expr | null {
    let left = this.and();
    while (left && this.peekOp() === "||") {
      this.index++;
      const right = this.and();
      if (!right) return null;
      left = { kind: "binary", op: "||", left, right };
    }
    return left;
  }

  private and(): Expr | null {
    let left = this.comparison();
    while (left && this.peekOp() === "&&") {
      this.index++;
      const right = this.comparison();
      if (!right) return null;
      left = { kind: "binary", op: "&&", left, right };
    }
    return left;
  }

  private comparison(): Expr | null {
    const left = this.primary();
    const op = this.peekOp();
    if (!left || (op !== "==" && op !== "!=" && op !== "=~" && op !== "!~")) return left;
    this.index++;
    const right = this.primary();
    return right ? { kind: "binary", op, left, right } : null;
  }

  private primary(): Expr | null {
    const token = this.tokens[this.index];
    if (!token) return null;
    this.index++;
    if (token.kind === "paren") {
      if (!token.open) return null;
      const inner = this.or();
      const close = this.tokens[this.index];
      if (!inner || close?.kind !== "paren" || close.open) return null;
      this.index++;
      return inner;
    }
    if (token.kind === "op") return null;
    return token;
  }
}

type Value = string | boolean | null | { pattern: RegExp };

/** Builds a JS RegExp from GitLab's (RE2/Ruby) pattern syntax, or null when it is not valid. */
export function compilePattern(source: string, flags: string): RegExp | null {
  if (flags.includes("U")) return null;
  const translated = source.replace(/\\A/g, "^").replace(/\\[zZ]/g, "$");
  try {
    return new RegExp(translated, flags.replace(/[^ims]/g, ""));
  } catch {
    return null;
  }
}

/** Reads `/re/flags` text (a pattern held in a variable) into a RegExp, or null when it is not one. */
export function patternFromString(text: string): RegExp | null {
  const parsed = readPattern(text, 0);
  if (!text.startsWith("/") || !parsed || parsed.end !== text.length) return null;
  return compilePattern(parsed.source, parsed.flags);
}

// Ruby truthiness: only nil and false are falsy ("" is truthy inside && and ||).
const rubyTruthy = (value: Value): boolean => value !== null && value !== false;

function matches(left: Value, right: Value): boolean | null {
  const text = typeof left === "string" ? left : "";
  if (typeof right === "string") {
    const regex = patternFromString(right);
    // A right side that is no pattern stays a string, and Ruby's `String#scan(text)` then asks whether the
    // right side contains the left one — GitLab's behaviour, surprising as it is.
    return regex ? regex.test(text) : right.includes(text);
  }
  if (right === null || typeof right !== "object") return null;
  return right.pattern.test(text);
}

function evaluate(expr: Expr, variables: Readonly<Record<string, string>>): Value {
  switch (expr.kind) {
    case "variable":
      return Object.hasOwn(variables, expr.name) ? (variables[expr.name] as string) : null;
    case "string":
      return expr.value;
    case "null":
      return null;
    case "pattern": {
      const pattern = compilePattern(expr.source, expr.flags);
      return pattern ? { pattern } : null;
    }
    case "binary": {
      if (expr.op === "&&") {
        const left = evaluate(expr.left, variables);
        return rubyTruthy(left) ? evaluate(expr.right, variables) : left;
      }
      if (expr.op === "||") {
        const left = evaluate(expr.left, variables);
        return rubyTruthy(left) ? left : evaluate(expr.right, variables);
      }
      const left = evaluate(expr.left, variables);
      const right = evaluate(expr.right, variables);
      if (expr.op === "==") return sameValue(left, right);
      if (expr.op === "!=") return !sameValue(left, right);
      const result = matches(left, right);
      if (expr.op === "=~") return result ?? false;
      return result === null ? true : !result;
    }
  }
}

function sameValue(left: Value, right: Value): boolean {
  if (left !== null && typeof left === "object") return false;
  if (right !== null && typeof right === "object") return false;
  return left === right;
}

/** Parses expression text; invalid syntax gives GitLab's message `invalid expression syntax`. */
export function parseExpression(source: string): ParseExpressionResult {
  const tokens = tokenize(source);
  const expr = tokens && tokens.length > 0 && tokens.length <= MAX_TOKENS ? new Parser(tokens).parse() : null;
  if (!expr) return { ok: false, error: "invalid expression syntax" };
  return {
    ok: true,
    expression: {
      source,
      // The statement's final value counts when it is "present": non-empty string or true.
      evaluate: (variables) => {
        const value = evaluate(expr, variables);
        if (typeof value === "string") return value.length > 0;
        return value === true || (value !== null && typeof value === "object");
      },
    },
  };
}
