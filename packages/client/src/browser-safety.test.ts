import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const srcDir = fileURLToPath(new URL(".", import.meta.url));
const NODE_BUILTIN = /^(node:|(fs|path|http|https|net|tls|crypto|stream|url|os|child_process|buffer)$)/;

// Every source file `createClient` loads, following relative imports: what a browser bundle contains.
function browserPath(entry: string): string[] {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const source = readFileSync(`${srcDir}${file}`, "utf8");
    for (const match of source.matchAll(/from\s+"\.\/([^"]+)\.js"/g)) {
      const next = `${match[1]}.ts`;
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return [...seen].sort();
}

const files = browserPath("create-client.ts");

describe("the browser path of the client", () => {
  it("covers the HTTP layer and the trace watcher", () => {
    expect(files).toEqual(
      expect.arrayContaining(["http-transport.ts", "watch-trace.ts", "web-socket-factory.ts"]),
    );
  });

  it.each(files)("%s imports no Node built-in, never loads ws eagerly, and uses no Buffer", (name) => {
    const source = readFileSync(`${srcDir}${name}`, "utf8");
    for (const match of source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)) {
      expect(match[1], `${name} imports ${match[1]}`).not.toMatch(NODE_BUILTIN);
    }
    expect(source, `${name} imports ws at load time`).not.toMatch(
      /^\s*import\s+(?!type\s)[^;]*?from\s+"ws"/m,
    );
    expect(source).not.toMatch(/\bBuffer\./);
  });
});
