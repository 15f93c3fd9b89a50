// The store's SQL is written once, in the dialect SQLite and PostgreSQL share; what differs in the text is
// how parameters are written (SQLite takes `?` and `@name`; PostgreSQL takes `$1…$n`) and SQLite's
// `INDEXED BY` planner hints, which PostgreSQL's planner does without.

/** A statement's text for PostgreSQL and how to order its arguments. */
export interface TranslatedSql {
  text: string;
  /** The parameter names in `$n` order for a statement with `@name` parameters; undefined for `?` ones. */
  names: string[] | undefined;
}

/** SQLite's `INDEXED BY <index>` hint, at the start of the rest of a statement. */
const INDEXED_BY = /^INDEXED\s+BY\s+[A-Za-z_][A-Za-z0-9_]*\s*/i;

/**
 * Rewrites `?` to `$1…` and `@name` to `$n` (one number per distinct name) and drops `INDEXED BY`
 * hints, leaving string literals, quoted identifiers and comments alone.
 */
export function translateSql(sql: string): TranslatedSql {
  let out = "";
  let positional = 0;
  const names: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if ((c === "I" || c === "i") && /\s/.test(sql[i - 1] ?? "") && INDEXED_BY.test(sql.slice(i))) {
      i += (INDEXED_BY.exec(sql.slice(i)) as RegExpExecArray)[0].length;
    } else if (c === "?") {
      out += `$${++positional}`;
      i++;
    } else if (c === "@" && /[A-Za-z_]/.test(sql[i + 1] ?? "")) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_]/.test(sql[j] as string)) j++;
      const name = sql.slice(i + 1, j);
      let n = names.indexOf(name);
      if (n === -1) n = names.push(name) - 1;
      out += `$${n + 1}`;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  if (positional > 0 && names.length > 0) throw new Error(`SQL mixes ? and @name parameters: ${sql}`);
  return { text: out, names: names.length > 0 ? names : undefined };
}

/** The index just past the quote that closes the one at `start` (a doubled quote is an escaped one). */
function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/** The values for `$1…$n`, from the arguments a statement was called with. */
export function bindArguments(translated: TranslatedSql, args: readonly unknown[]): unknown[] {
  if (translated.names) {
    const named = (args[0] ?? {}) as Record<string, unknown>;
    return translated.names.map((name) => toPg(named[name]));
  }
  return args.map(toPg);
}

/** SQLite's driver takes undefined as a missing argument and bigints as integers; pg wants null and text. */
function toPg(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === "bigint") return value.toString();
  return value;
}
