// The cost of reading one runner trace frame: core's schema parser against a bare JSON.parse of the same
// frame (the floor any parser pays), in alternating rounds. Writes bench-results/parse.json.

import { mkdirSync, writeFileSync } from "node:fs";
import { parseRunnerToServerMessage } from "@buildsim/core";

const ROUNDS = 7;
const FRAMES_PER_ROUND = 200_000;

/** A 1 KiB line of trace, as the runner sends it. */
const frame = JSON.stringify({
  type: "trace",
  buildId: 42,
  offset: 123_456,
  data: Buffer.from(`${"x".repeat(1023)}\n`).toString("base64"),
});

function timeNs(read: (text: string) => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < FRAMES_PER_ROUND; i++) read(frame);
  return Number(process.hrtime.bigint() - start) / FRAMES_PER_ROUND;
}

const bare = (text: string) => JSON.parse(text);
const schema = (text: string) => {
  const r = parseRunnerToServerMessage(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

// Warm both paths up so the JIT has compiled them before the timed rounds.
timeNs(bare);
timeNs(schema);
const rounds: Array<{ bareNs: number; schemaNs: number }> = [];
for (let i = 0; i < ROUNDS; i++) rounds.push({ bareNs: timeNs(bare), schemaNs: timeNs(schema) });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const bareNs = median(rounds.map((r) => r.bareNs));
const schemaNs = median(rounds.map((r) => r.schemaNs));
const result = { frameBytes: frame.length, bareNs, schemaNs, extraNs: schemaNs - bareNs, rounds };
mkdirSync("bench-results", { recursive: true });
writeFileSync("bench-results/parse.json", `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `trace frame (${frame.length} B): JSON.parse ${bareNs.toFixed(0)} ns, schema parser ${schemaNs.toFixed(0)} ns ` +
    `(+${(schemaNs - bareNs).toFixed(0)} ns, ${(schemaNs / bareNs).toFixed(2)}×)`,
);
