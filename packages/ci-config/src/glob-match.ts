// Ruby's File.fnmatch with FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB, the matching GitLab uses for
// `rules:exists`, `rules:changes` and `only:changes`: `*` and `?` stop at `/`, `**/` spans directories,
// `[...]` classes and `{a,b}` alternatives.

const cache = new Map<string, RegExp>();

function translate(glob: string): string {
  let out = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*") {
      if (glob[i + 1] === "*" && (i === 0 || glob[i - 1] === "/") && glob[i + 2] === "/") {
        out += "(?:.*/)?";
        i += 2;
      } else {
        // Without a following slash, `**` is just `*` (Ruby's FNM_PATHNAME).
        while (glob[i + 1] === "*") i++;
        out += "[^/]*";
      }
    } else if (ch === "?") {
      out += "[^/]";
    } else if (ch === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) {
        out += "\\[";
        continue;
      }
      const body = glob
        .slice(i + 1, end)
        .replace(/^!/, "^")
        .replace(/\\/g, "\\\\");
      out += `[${body}]`;
      i = end;
    } else if (ch === "{") {
      braces++;
      out += "(?:";
    } else if (ch === "}" && braces > 0) {
      braces--;
      out += ")";
    } else if (ch === "," && braces > 0) {
      out += "|";
    } else if (ch === "\\" && i + 1 < glob.length) {
      out += glob[i + 1]!.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      i++;
    } else {
      out += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    }
  }
  return out;
}

/** Whether repository path `path` (no leading slash) matches `glob` the way GitLab matches it. */
export function matchesGlob(glob: string, path: string): boolean {
  let regex = cache.get(glob);
  if (!regex) {
    regex = new RegExp(`^${translate(glob.replace(/^\/+/, ""))}$`);
    cache.set(glob, regex);
  }
  return regex.test(path);
}
