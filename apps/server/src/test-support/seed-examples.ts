// Pulls the example JSON responses out of the seed document's text, keyed by the endpoint they follow.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The bundled copy of the seed document (tests never depend on ../shared). */
export const SEED_COPY_FILE = path.resolve(here, "../../test-fixtures/gitlab-v3-builds-api.txt");

/** Where CI puts shared/ beside the clone: `<repo root>/../shared/seed/…`. */
export const SHARED_SEED_FILE = path.resolve(here, "../../../../../shared/seed/gitlab-v3-builds-api.txt");

/** One example: the endpoint line (`GET /projects/:id/builds`) and the JSON that follows it. */
export interface SeedExample {
  endpoint: string;
  json: unknown;
}

/** The JSON value starting at `start` (a `[` or `{`), found by matching brackets outside strings. */
function jsonAt(text: string, start: number): { value: unknown; end: number } {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === "[" || ch === "{") depth++;
    else if (ch === "]" || ch === "}") {
      depth--;
      if (depth === 0) return { value: JSON.parse(text.slice(start, i + 1)), end: i + 1 };
    }
  }
  throw new Error(`unterminated JSON at offset ${start}`);
}

/** Every example response in `text`, in document order, with the endpoint it documents. */
export function parseSeedExamples(text: string): SeedExample[] {
  const examples: SeedExample[] = [];
  const endpointLine = /^(GET|POST|PUT|DELETE) (\/projects\/\S+)$/gm;
  const endpoints: Array<{ at: number; endpoint: string }> = [];
  for (const m of text.matchAll(endpointLine)) endpoints.push({ at: m.index, endpoint: `${m[1]} ${m[2]}` });
  const jsonStart = /^[[{]$/gm;
  for (const m of text.matchAll(jsonStart)) {
    const owner = endpoints.filter((e) => e.at < m.index).pop();
    if (!owner) continue;
    const { value } = jsonAt(text, m.index);
    examples.push({ endpoint: owner.endpoint, json: value });
  }
  return examples;
}

/** The examples of the bundled seed copy. */
export function loadSeedExamples(): SeedExample[] {
  return parseSeedExamples(readFileSync(SEED_COPY_FILE, "utf8"));
}
