// `artifacts:reports:dotenv`: the `KEY=VALUE` files a job writes so that later jobs get the variables.

import { readFile } from "node:fs/promises";
import path from "node:path";

/** A parsed report: its variables, and the lines that are not a `KEY=VALUE` (reported in the trace). */
export interface DotenvReport {
  variables: Array<{ key: string; value: string }>;
  invalid: string[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses dotenv text: `KEY=VALUE` per line; blank lines and `#` comments are skipped; one pair of
 * surrounding quotes is removed; a later line overrides an earlier one for the same key. */
export function parseDotenv(text: string): DotenvReport {
  const byKey = new Map<string, string>();
  const invalid: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const key = eq > 0 ? line.slice(0, eq).trim() : "";
    if (!KEY.test(key)) {
      invalid.push(raw);
      continue;
    }
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0])
      value = value.slice(1, -1);
    byKey.set(key, value);
  }
  return { variables: [...byKey].map(([key, value]) => ({ key, value })), invalid };
}

/** Reads every report file (relative to the project directory) that exists; missing files are listed. */
export async function readDotenvReports(
  projectDir: string,
  files: readonly string[],
): Promise<{ report: DotenvReport; missing: string[] }> {
  const variables = new Map<string, string>();
  const invalid: string[] = [];
  const missing: string[] = [];
  for (const file of files) {
    const text = await readFile(path.join(projectDir, file), "utf8").catch(() => null);
    if (text === null) {
      missing.push(file);
      continue;
    }
    const report = parseDotenv(text);
    for (const { key, value } of report.variables) variables.set(key, value);
    invalid.push(...report.invalid);
  }
  return { report: { variables: [...variables].map(([key, value]) => ({ key, value })), invalid }, missing };
}
