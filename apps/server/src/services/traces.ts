// Trace access for the API and the runner layer: idempotent appends (announced on the bus) and reads
// with the project's runners token, the build's own token and the project's masked variables masked.

import type { Build } from "@buildsim/core";
import type { ServerEvents } from "../events/server-events.js";
import type { Store } from "../store/create-store.js";
import type { AppendTraceResult } from "../store/traces-repo.js";

/** What a trace hides: tokens (as many `x`, GitLab's `Ci::MaskSecret`) and masked variables' values. */
export interface TraceSecrets {
  tokens: readonly string[];
  /** Masked CI/CD variables' values, shown as `[MASKED]` as the runner does. */
  masked: readonly string[];
}

/** The text each masked variable's value is replaced by in job logs. */
export const MASKED = "[MASKED]";

/** Replaces every occurrence of each secret in `trace` (tokens by `x`s, masked values by `[MASKED]`). */
export function maskSecrets(trace: Buffer, secrets: TraceSecrets): Buffer {
  const tokens = secrets.tokens.filter((s) => s.length > 0 && trace.includes(s));
  const masked = secrets.masked.filter((s) => s.length > 0 && trace.includes(s));
  if (tokens.length === 0 && masked.length === 0) return trace;
  // latin1 maps bytes 1:1 to chars, so replacing whole byte sequences cannot damage multi-byte text.
  let text = trace.toString("latin1");
  // Longer values first, so a value containing another is masked whole.
  for (const s of [...masked].sort((a, b) => b.length - a.length))
    text = text.split(Buffer.from(s).toString("latin1")).join(MASKED);
  for (const s of tokens) text = text.split(s).join("x".repeat(Buffer.byteLength(s)));
  return Buffer.from(text, "latin1");
}

/**
 * The secrets of `build`'s trace (GitLab's `hide_secrets`): the project's runners token, the job token,
 * the token of the runner that runs it, and the project's masked variables.
 */
export function traceSecretsOf(store: Store, build: Build): TraceSecrets {
  const project = store.projects.get(build.projectId);
  const runner = build.runnerId === null ? undefined : store.runners.get(build.runnerId);
  return {
    tokens: [project?.runnersToken ?? "", build.token, runner?.token ?? ""].filter((s) => s.length > 0),
    masked: store.projectVariables
      .list(build.projectId)
      .filter((v) => v.masked)
      .map((v) => v.value),
  };
}

/** Appends and reads traces. */
export function createTraces(store: Store, events: ServerEvents, now: () => string) {
  return {
    /**
     * Appends `bytes` at `offset` in one transaction. A repeat or overlap stores only the new tail; a gap
     * (`offset` past the stored length) is refused and the current length returned.
     */
    appendTrace(buildId: number, offset: number, bytes: Uint8Array): AppendTraceResult {
      const result = store.db.transaction(() => store.traces.append(buildId, offset, bytes, now()))();
      if (result.appendedBytes > 0) {
        const data = Buffer.from(bytes.subarray(bytes.byteLength - result.appendedBytes));
        events.emit("traceAppended", {
          buildId,
          offset: result.length - result.appendedBytes,
          data,
          length: result.length,
        });
      }
      return result;
    },
    /** The full trace with its secrets (`traceSecretsOf`) masked. */
    readMasked(buildId: number): Buffer {
      const build = store.builds.get(buildId);
      if (!build) return Buffer.alloc(0);
      return maskSecrets(store.traces.read(buildId), traceSecretsOf(store, build));
    },
  };
}

export type Traces = ReturnType<typeof createTraces>;
