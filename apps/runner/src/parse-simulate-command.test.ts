import { describe, expect, it } from "vitest";
import { parseSimulateCommand } from "./parse-simulate-command.js";

describe("parseSimulateCommand", () => {
  it.each([
    ["echo  two  spaces", { kind: "echo", text: " two  spaces" }],
    ["echo", { kind: "echo", text: "" }],
    ["sleep 1500", { kind: "sleep", durationMs: 1500 }],
    ["exit 0", { kind: "exit", exitCode: 0 }],
    ["lines 5", { kind: "lines", count: 5, ratePerS: 0, text: "line" }],
    ["lines 5 2.5 build step", { kind: "lines", count: 5, ratePerS: 2.5, text: "build step" }],
    ["fail disk full", { kind: "fail", text: "disk full" }],
    ["   ", { kind: "nothing" }],
    ["# note", { kind: "nothing" }],
  ])("reads %j", (line, command) => {
    expect(parseSimulateCommand(line)).toEqual(command);
  });

  it.each([
    ["sleep soon", 'simulate: sleep: expects MS (whole milliseconds), got "soon"', 2],
    ["exit 256", 'simulate: exit: expects N (an exit code 0-255), got "256"', 2],
    ["lines x", 'simulate: lines: expects N [RATE_PER_S] [TEXT], got "x"', 2],
    ["rm -rf /", 'simulate: unknown command "rm" (known: echo, sleep, exit, lines, fail)', 127],
  ])("rejects %j with a clear message", (line, message, exitCode) => {
    expect(parseSimulateCommand(line)).toEqual({ kind: "error", message, exitCode });
  });
});
