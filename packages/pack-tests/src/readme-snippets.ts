// The fenced code blocks of a README, in order, with their language, and helpers for running their
// commands: what readme-snippets.test.ts and package-readme-snippets.test.ts run.

import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

export interface Snippet {
  lang: string;
  code: string;
}

/** Every ```lang … ``` block of the Markdown file at `file`. */
export function readSnippets(file: string): Snippet[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1] ?? "",
    code: m[2] ?? "",
  }));
}

/** The command lines of a sh block: no comment lines, no trailing comments, no blank lines. */
export function commandLines(code: string): string[] {
  return code
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "");
}

/** A port that was free a moment ago: snippets that serve on :3000 run on it instead. */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const port = (probe.address() as { port: number }).port;
  probe.close();
  await once(probe, "close");
  return port;
}
