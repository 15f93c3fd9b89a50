// The fenced code blocks of a README, in order, with their language: what readme-snippets.test.ts runs.

import { readFileSync } from "node:fs";

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
