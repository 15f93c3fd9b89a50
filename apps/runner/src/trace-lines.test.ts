import { describe, expect, it } from "vitest";
import { commandEchoLine, footerLine, goDuration, ignoredContainersLine } from "./trace-lines.js";

const service = (name: string) => ({ name, aliases: [], variables: [] });

describe("trace lines", () => {
  it("warns that image and services are ignored, and stays silent without them", () => {
    expect(
      ignoredContainersLine({ name: "ruby:3.3" }, [service("postgres:16"), service("redis")], "shell"),
    ).toBe(
      'WARNING: the shell executor runs on the host; ignoring image "ruby:3.3" and services postgres:16, redis\n',
    );
    expect(ignoredContainersLine(null, [service("redis")], "simulate")).toBe(
      "WARNING: the simulate executor runs on the host; ignoring services redis\n",
    );
    expect(ignoredContainersLine(null, [], "shell")).toBeNull();
    expect(ignoredContainersLine({ name: "ruby:3.3" }, [], "docker")).toBeNull();
  });

  it.each([
    [500, "500ms"],
    [1000, "1s"],
    [90_000, "1m30s"],
    [3_600_000, "1h0m0s"],
    [5_400_500, "1h30m0.5s"],
  ])("formats %i ms as Go does: %s", (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });

  it("echoes a multi-line command by its first line, as GitLab Runner does", () => {
    expect(commandEchoLine("echo a")).toBe("$ echo a\n");
    expect(commandEchoLine("if true; then\n  echo a\nfi")).toBe(
      "$ if true; then # collapsed multi-line command\n",
    );
  });

  it("ends with Job succeeded, the exit code, or the system failure", () => {
    expect(footerLine({ state: "success", exitCode: 0 }, null)).toBe("\nJob succeeded\n");
    expect(footerLine({ state: "failed", exitCode: 2, failureReason: "script_failure" }, null)).toBe(
      "\nERROR: Job failed: exit code 2\n",
    );
    expect(
      footerLine({ state: "failed", exitCode: null, failureReason: "runner_system_failure" }, "disk full"),
    ).toBe("\nERROR: Job failed (system failure): disk full\n");
  });
});
