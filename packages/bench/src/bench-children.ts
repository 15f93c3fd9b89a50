// The API benchmarks' child processes: servers and load runs each in their own process, pinned to
// separate cores when `taskset` exists, talking JSON lines on stdout and CPU time over IPC.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadOptions, LoadResult } from "./load-generator.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Whether servers and load can be pinned to separate cores. */
export const canPin = os.cpus().length >= 2 && spawnSync("taskset", ["--version"]).status === 0;

/** A child running `script` of this package's dist; server on core 0, load on core 1 (perf-notes.md). */
export function node(script: string, args: string[], core: number, nodeArgs: string[] = []): ChildProcess {
  const argv = [process.execPath, ...nodeArgs, path.join(here, script), ...args];
  const stdio: ["ignore", "pipe", "inherit", "ipc"] = ["ignore", "pipe", "inherit", "ipc"];
  return canPin
    ? spawn("taskset", ["-c", String(core), ...argv], { stdio })
    : spawn(argv[0]!, argv.slice(1), { stdio });
}

/** CPU microseconds (user + system) a server child has used so far. */
export function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once("message", (m: { cpu: { user: number; system: number } }) =>
      resolve(m.cpu.user + m.cpu.system),
    );
    child.send("cpu");
  });
}

/** A server child's memory usage (RSS, heap) now. */
export function memoryOf(child: ChildProcess): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve) => {
    child.once("message", (m: { memory: NodeJS.MemoryUsage }) => resolve(m.memory));
    child.send("memory");
  });
}

/** The first JSON line a child prints. */
export function firstLine<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (c: Buffer) => {
      text += c.toString();
      const nl = text.indexOf("\n");
      if (nl >= 0) resolve(JSON.parse(text.slice(0, nl)) as T);
    });
    child.once("exit", (code) => reject(new Error(`${child.spawnargs.join(" ")} exited with ${code}`)));
  });
}

/** Runs a child to completion; throws unless it exits 0. */
export async function runToEnd(script: string, args: string[], core: number): Promise<void> {
  const child = node(script, args, core);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`${script} ${args.join(" ")} failed (exit ${code})`);
}

/** One load run in its own process on core 1; throws on errors or non-2xx answers. */
export async function loadRun(options: LoadOptions): Promise<LoadResult> {
  const result = await firstLine<LoadResult>(node("load-main.js", [JSON.stringify(options)], 1));
  if (result.errors > 0 || result.non2xx > 0)
    throw new Error(`load against port ${options.port} failed: ${JSON.stringify(result)}`);
  return result;
}

/** A load run against `server`, with the server's CPU time per request. */
export async function measure(
  server: ChildProcess,
  options: LoadOptions,
): Promise<LoadResult & { cpuMicrosPerRequest: number }> {
  const before = await cpuOf(server);
  const result = await loadRun(options);
  const after = await cpuOf(server);
  return { ...result, cpuMicrosPerRequest: (after - before) / result.requests };
}

/** The median of `xs`. */
/** A number from the environment (benchmark sizes and durations), or its default. */
export const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** The arithmetic mean of `xs`. */
export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The load average, recorded with every figure (the machine is shared). */
export const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** Writes a benchmark's summary to `bench-results/<name>.json` (next to dist/). */
export function writeBenchResult(name: string, summary: unknown): void {
  const outDir = path.resolve(here, "..", "bench-results");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, `${name}.json`), `${JSON.stringify(summary, null, 2)}\n`);
}
