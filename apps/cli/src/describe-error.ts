// Turns a runtime error into the one line `buildsim` prints: what went wrong (with the system's code, such
// as EADDRINUSE) and what to do about it. The stack trace is shown only with --debug.

/** An error with Node's system-error fields (code, syscall, path, port, address). */
type SystemError = Error & {
  code?: string;
  syscall?: string;
  path?: string;
  port?: number;
  address?: string;
  cause?: unknown;
};

/** The innermost cause that carries a system error code (fetch wraps ECONNREFUSED in `fetch failed`). */
function systemCause(error: unknown): SystemError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const candidate = current as SystemError;
    if (typeof candidate.code === "string" && /^E[A-Z]+$/.test(candidate.code)) return candidate;
    if (candidate.cause instanceof AggregateError) current = candidate.cause.errors[0];
    else current = candidate.cause;
  }
  return null;
}

/** One line naming the cause of `error` and the fix; `subject` names the server or file involved. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Could not locate the bindings file|NODE_MODULE_VERSION|better_sqlite3\.node/.test(message)) {
    return "better-sqlite3's native module is not built for this Node: with pnpm, allow its build (`pnpm approve-builds`, or `onlyBuiltDependencies: [better-sqlite3]`) and reinstall; with npm, run `npm rebuild better-sqlite3`";
  }
  const sys = systemCause(error);
  if (!sys) return message;
  const where = sys.path ? ` ${sys.path}` : "";
  const port = sys.port ?? /:(\d+)$/.exec(sys.address ?? "")?.[1];
  switch (sys.code) {
    case "EADDRINUSE":
      return `port ${port ?? "?"} is already in use (EADDRINUSE): stop what listens there, or pick another with --port (0 picks a free one)`;
    case "EADDRNOTAVAIL":
      return `cannot listen on ${sys.address ?? "that address"} (EADDRNOTAVAIL): pick an address of this machine with --host`;
    case "EACCES":
    case "EPERM":
      if (sys.syscall === "listen" || sys.syscall === "bind")
        return `not allowed to listen on port ${port ?? "?"} (${sys.code}): ports below 1024 need root; pick another with --port`;
      return `permission denied on${where} (${sys.code}): choose a directory you can write to with --data`;
    case "ENOTDIR":
    case "EEXIST":
      return `${sys.path ?? "a path"} is not a directory (${sys.code}): --data must name a directory (it is created if missing)`;
    case "ENOENT":
      return `no such file or directory:${where} (ENOENT)`;
    case "ENOSPC":
      return `no space left on the device (ENOSPC)${where ? ` writing${where}` : ""}: free some space or choose another --data`;
    case "ECONNREFUSED":
      return `cannot connect to ${sys.address ?? ""}${port ? `:${port}` : ""} (ECONNREFUSED): nothing listens there; is the server running, and is --url right?`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve the host ${(sys as { hostname?: string }).hostname ?? ""} (${sys.code}): check --url`;
    case "ECONNRESET":
    case "ETIMEDOUT":
      return `the connection failed (${sys.code}): check --url and that the server is reachable`;
    default:
      return `${message} (${sys.code})`;
  }
}
