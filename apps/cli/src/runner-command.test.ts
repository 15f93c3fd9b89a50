import { describe, expect, it } from "vitest";
import { runRunnerCommand } from "./runner-command.js";

describe("buildsim runner", () => {
  it("prints its usage and exits 0 for --help", async () => {
    expect(await runRunnerCommand(["--help"])).toBe(0);
  });

  it("exits 2 when the runner token is missing", async () => {
    expect(await runRunnerCommand(["--url", "http://127.0.0.1:1"])).toBe(2);
  });
});
