// Reads one line of a simulate-executor script into a command, or the reason it is not one.

/** One command of the simulate executor's script language (see docs/simulate-executor.md). */
export type SimulateCommand =
  | { kind: "echo"; text: string }
  | { kind: "sleep"; durationMs: number }
  | { kind: "exit"; exitCode: number }
  | { kind: "lines"; count: number; ratePerS: number; text: string }
  | { kind: "fail"; text: string }
  | { kind: "nothing" };

/** A line the simulate executor cannot run; the build fails with `message` and `exitCode`. */
export interface SimulateCommandError {
  kind: "error";
  message: string;
  exitCode: number;
}

const UNKNOWN_COMMAND_EXIT_CODE = 127;
const BAD_ARGUMENT_EXIT_CODE = 2;

const wholeNumber = (text: string | undefined): number | null =>
  text !== undefined && /^\d+$/.test(text) ? Number(text) : null;

/** Parses `line`; empty lines and `# comments` do nothing. */
export function parseSimulateCommand(line: string): SimulateCommand | SimulateCommandError {
  const trimmed = line.trim();
  if (trimmed === "" || trimmed.startsWith("#")) return { kind: "nothing" };
  const [name = "", ...args] = trimmed.split(/\s+/);
  const rest = trimmed.slice(name.length).replace(/^\s/, "");
  const bad = (usage: string): SimulateCommandError => ({
    kind: "error",
    message: `simulate: ${name}: ${usage}, got "${rest}"`,
    exitCode: BAD_ARGUMENT_EXIT_CODE,
  });
  switch (name) {
    case "echo":
      return { kind: "echo", text: rest };
    case "fail":
      return { kind: "fail", text: rest };
    case "sleep": {
      const durationMs = wholeNumber(args[0]);
      return durationMs === null || args.length !== 1
        ? bad("expects MS (whole milliseconds)")
        : { kind: "sleep", durationMs };
    }
    case "exit": {
      const exitCode = wholeNumber(args[0]);
      return exitCode === null || exitCode > 255 || args.length !== 1
        ? bad("expects N (an exit code 0-255)")
        : { kind: "exit", exitCode };
    }
    case "lines": {
      const count = wholeNumber(args[0]);
      const ratePerS = args[1] === undefined ? 0 : Number(args[1]);
      if (count === null || !Number.isFinite(ratePerS) || ratePerS < 0) {
        return bad("expects N [RATE_PER_S] [TEXT]");
      }
      return { kind: "lines", count, ratePerS, text: args.length > 2 ? args.slice(2).join(" ") : "line" };
    }
    default:
      return {
        kind: "error",
        message: `simulate: unknown command "${name}" (known: echo, sleep, exit, lines, fail)`,
        exitCode: UNKNOWN_COMMAND_EXIT_CODE,
      };
  }
}
