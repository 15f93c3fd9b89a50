// One argument parser for every buildsim command (`run`, `serve`, `runner`, `lint`, …): node:util's
// parseArgs, strict, with its errors turned into one short line that names the flag and the fix.
// It lives here because the runner is a command of its own (dist/main.js) and the CLI depends on it.

import { type ParseArgsConfig, parseArgs } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The parsed flags and positionals, or the one-line reason they are wrong. */
export type CommandLine<O extends Options> =
  | {
      ok: true;
      values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>["values"];
      positionals: string[];
    }
  | { ok: false; error: string };

/** Flag `name` as the user writes it: `-f, --file`. */
function flagLabel(options: Options, name: string): string {
  const short = options[name]?.short;
  return short ? `-${short}/--${name}` : `--${name}`;
}

/** Rewrites a parseArgs error (`Option '-f, --file <value>' argument missing`) into one plain line. */
function describeParseError(error: Error & { code?: string }, options: Options): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? "";
  const name = /--([A-Za-z0-9-]+)/.exec(quoted)?.[1] ?? quoted.replace(/^-+/, "");
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${quoted}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument "${quoted}"`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (options[name]?.type === "boolean") return `${flagLabel(options, name)} takes no value`;
      if (/ambiguous/.test(error.message))
        return `${flagLabel(options, name)} needs a value (write --${name}=VALUE for one that starts with -)`;
      return `${flagLabel(options, name)} needs a value`;
    default:
      return error.message.split("\n")[0] ?? String(error);
  }
}

/**
 * Parses `argv` against `options` (strict: unknown flags are errors). Positionals are refused unless
 * `allowPositionals` is set, in which case the command checks them itself.
 */
export function parseCommandLine<O extends Options>(
  argv: readonly string[],
  options: O,
  settings: { allowPositionals?: boolean } = {},
): CommandLine<O> {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: settings.allowPositionals ?? false,
    });
    return { ok: true, values: parsed.values as never, positionals: parsed.positionals };
  } catch (error) {
    return { ok: false, error: describeParseError(error as Error, options) };
  }
}
