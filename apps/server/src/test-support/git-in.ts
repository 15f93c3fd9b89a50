// Runs git in a test's repository as a fixed author, so commits need no global git identity.

import { execFileSync } from "node:child_process";

/** `git …args` in `dir`, as Ada; returns stdout. */
export function gitIn(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Ada", "-c", "user.email=ada@example.com", ...args], {
    cwd: dir,
    encoding: "utf8",
  });
}
