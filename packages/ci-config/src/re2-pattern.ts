// RE2 patterns (what GitLab's `Gitlab::UntrustedRegexp` compiles, e.g. `coverage:`) translated to
// JavaScript's RegExp: leading inline flags, `(?P<name>…)`, `\A`, `\z`, `\Q…\E` and POSIX classes.
// https://github.com/google/re2/wiki/Syntax

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const escapeLiteral = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/**
 * Compiles an RE2 pattern as JavaScript, or null when it is not valid RE2 or uses what JavaScript cannot
 * express here (inline flags after the start, `(?U)` ungreedy mode, `\C`).
 */
export function compileRe2(source: string, extraFlags = ""): RegExp | null {
  let flags = new Set(extraFlags.split("").filter(Boolean));
  let rest = source;
  // RE2's leading `(?flags)` applies to the whole pattern: JavaScript's flags.
  for (let m = /^\(\?([imsU]+)\)/.exec(rest); m; m = /^\(\?([imsU]+)\)/.exec(rest)) {
    if (m[1]!.includes("U")) return null;
    flags = new Set([...flags, ...m[1]!]);
    rest = rest.slice(m[0].length);
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === "\\") {
      const next = rest[i + 1];
      if (next === undefined) return null;
      if (next === "Q") {
        const end = rest.indexOf("\\E", i + 2);
        const literal = rest.slice(i + 2, end < 0 ? undefined : end);
        out += escapeLiteral(literal);
        i = end < 0 ? rest.length : end + 1;
        continue;
      }
      if (next === "C") return null;
      if (!inClass && next === "A") out += "^";
      else if (!inClass && next === "z") out += "$(?![\\s\\S])";
      else out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest.slice(i));
      if (posix) {
        const range = POSIX_CLASSES[posix[2]!];
        if (!range || posix[1]) return null;
        out += range;
        i += posix[0].length - 1;
        continue;
      }
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      // A `]` right after `[` or `[^` is a literal in RE2.
      const lead = /^\[\^?\]/.exec(rest.slice(i));
      if (lead) {
        out += lead[0].slice(1, -1) === "^" ? "^\\]" : "\\]";
        i += lead[0].length - 1;
      }
      continue;
    }
    if (c === "(" && rest.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
      continue;
    }
    // Inline flags anywhere else would change only part of the pattern: not expressible in Node 20.
    if (c === "(" && /^\(\?[imsU-]+[:)]/.test(rest.slice(i))) return null;
    out += c;
  }
  try {
    return new RegExp(out, [...flags].sort().join(""));
  } catch {
    return null;
  }
}
