// Trace access for the API and the runner layer: idempotent appends (announced on the bus) and reads
// with the project's runners token and the build's own token masked.

import type { Build } from "@buildsim/core";
import type { ServerEvents } from "../events/server-events.js";
import type { Store } from "../store/create-store.js";
import type { AppendTraceResult } from "../store/traces-repo.js";

/** Replaces every occurrence of each secret in `trace` by as many `x` (GitLab's `Ci::MaskSecret`). */
export function maskSecrets(trace: Buffer, secrets: readonly string[]): Buffer {
  const present = secrets.filter((s) => s.length > 0 && trace.includes(s));
  if (present.length === 0) return trace;
  // latin1 maps bytes 1:1 to chars, so replacing ASCII tokens cannot damage multi-byte text.
  let text = trace.toString("latin1");
  for (const s of present) text = text.split(s).join("x".repeat(Buffer.byteLength(s)));
  return Buffer.from(text, "latin1");
}

/**
 * The secrets masked in `build`'s trace (GitLab's `hide_secrets`): the project's runners token, the
 * job token, and the token of the runner that runs it.
 */
export function traceSecretsOf(store: Store, build: Build): string[] {
  const project = store.projects.get(build.projectId);
  const runner = build.runnerId === null ? undefined : store.runners.get(build.runnerId);
  return [project?.runnersToken ?? "", build.token, runner?.token ?? ""].filter((s) => s.length > 0);
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
