// libyaml, which GitLab's Psych wraps, does not check how far the continuation lines of a multi-line
// quoted scalar are indented; the `yaml` parser follows the spec and refuses a closing quote written
// at the indentation of the `- ` that opened it. This rewrites such lines so both parsers agree.

/** A line that opens a block scalar (`key: |`, `- >-`): its more-indented lines are literal text. */
const BLOCK_SCALAR = /(?:^|\s|:)[|>][+-]?[1-9]?[+-]?\s*(?:#.*)?$/;

/** Where a scalar may start: after the indentation, `- `, `key: ` or `? `, and an anchor or tag. */
const SCALAR_START =
  /^(\s*)((?:-\s+|\?\s+)*)(?:(?:[^\s#'"][^#'"]*?|"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')\s*:\s+)?(?:[&!]\S*\s+)*(?=['"])/;

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** Index just past the closing quote of a scalar opened by `quote` at `from`, or -1 if the line ends first. */
function closingQuote(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote === '"' && c === "\\") {
      i++;
      continue;
    }
    if (c !== quote) continue;
    if (quote === "'" && line[i + 1] === "'") {
      i++;
      continue;
    }
    return i + 1;
  }
  return -1;
}

/**
 * Indents the continuation lines of multi-line quoted scalars one column past the line that opened
 * them, when they are not already; null when nothing needed it. Folding drops a continuation line's
 * leading spaces, so the scalar's value does not change.
 */
export function relaxQuotedIndent(source: string): string | null {
  const lines = source.split("\n");
  let changed = false;
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (blockIndent >= 0) {
      if (line.trim() === "" || indentOf(line) > blockIndent) continue;
      blockIndent = -1;
    }
    if (BLOCK_SCALAR.test(line) && !/['"]/.test(line.replace(/#.*$/, ""))) {
      blockIndent = indentOf(line);
      continue;
    }
    const start = SCALAR_START.exec(line);
    if (!start) continue;
    const open = start[0].length;
    const quote = line[open]!;
    if (closingQuote(line, open + 1, quote) >= 0) continue;
    // The scalar goes on: every further line up to the closing quote must be indented past `min`.
    const min = indentOf(line) + (start[2]?.length ?? 0);
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j]!;
      if (next.trim() !== "" && indentOf(next) <= min) {
        lines[j] = " ".repeat(min + 1 - indentOf(next)) + next;
        changed = true;
      }
      if (closingQuote(next, 0, quote) >= 0) {
        i = j;
        break;
      }
    }
  }
  return changed ? lines.join("\n") : null;
}
