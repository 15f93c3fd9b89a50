// A job moved by hand, without a runner (issue #15's job scripting): start it, append to its trace (live
// watchers get the bytes), attach artifacts, finish it. Every status change goes through the build
// machine; what it refuses is refused here in GitLab's words, and nothing changes.

import {
  type Build,
  type JobOutcome,
  parseJobOutcome,
  parseScriptArtifacts,
  type ScriptArtifacts,
} from "@buildsim/core";
import { strToU8, zipSync } from "fflate";
import type { App } from "../app.js";
import { ControlInputError } from "../http/control-input-error.js";
import { parseExpireIn } from "../routes/runner-api/parse-expire-in.js";
import { createFinishBuild } from "../services/finish-build.js";

/** A job as the controls answer it. */
export interface JobStepInfo {
  id: number;
  name: string;
  status: string;
  failureReason: string | null;
  traceBytes: number;
}

/** Zip entries' time: fixed, so the same files make the same bytes. */
const ZIP_MTIME = "2016-01-01T00:00:00.000Z";

export const infoOf = (build: Build): JobStepInfo => ({
  id: build.id,
  name: build.name,
  status: build.status,
  failureReason: build.failureReason,
  traceBytes: build.trace.bytes,
});

/** What the server does to jobs when a test says so. */
export class JobSteps {
  private readonly finishBuild;

  constructor(
    private readonly app: Pick<App, "store" | "transitions" | "now" | "traces">,
    /** Tells the runner watchdog the server itself runs `buildId` (no runner heartbeat will come). */
    private readonly runByServer: (buildId: number) => void,
  ) {
    this.finishBuild = createFinishBuild(app);
  }

  private job(id: unknown): Build {
    const build = typeof id === "number" ? this.app.store.builds.get(id) : undefined;
    if (!build || build.trigger !== null || build.external !== null)
      throw new ControlInputError(`job ${String(id)} does not exist`);
    return build;
  }

  /** Whether job `id` is one the controls can move (a job, not a trigger job or an external status). */
  exists(id: number): boolean {
    const build = this.app.store.builds.get(id);
    return build !== undefined && build.trigger === null && build.external === null;
  }

  /** The job now. */
  get(id: number): JobStepInfo {
    return infoOf(this.job(id));
  }

  /** pending → running, as a runner's claim would (`runner` stays empty). */
  start(id: number): JobStepInfo {
    const { store, transitions } = this.app;
    const started = store.transaction(() => {
      const build = this.job(id);
      if (build.status !== "pending")
        throw new ControlInputError(
          `Cannot transition status via :run from :${build.status} (Reason(s): Status cannot transition via "run")`,
        );
      return transitions.fire(build, { type: "run", at: this.app.now(), runnerId: null });
    });
    this.runByServer(started.id);
    return infoOf(started);
  }

  /** Appends `text` to a running job's trace; watchers get it as from a runner. */
  appendTrace(id: number, text: string | Uint8Array): JobStepInfo {
    const build = this.running(id, "append to the trace of");
    const bytes = typeof text === "string" ? Buffer.from(text) : text;
    this.app.traces.appendTrace(build.id, build.trace.bytes, bytes);
    return this.get(id);
  }

  /** Attaches artifacts to a running job (as its runner's upload would), expiring per `expireIn`. */
  attachArtifacts(id: number, input: ScriptArtifacts): JobStepInfo {
    const parsed = parseScriptArtifacts(input, "artifacts");
    if (!parsed.ok) throw new ControlInputError(parsed.error);
    const a = parsed.value;
    if ((a.files === undefined) === (a.contents === undefined))
      throw new ControlInputError("artifacts needs either files or contents");
    let expireAt: string | null = null;
    const at = this.app.now();
    if (a.expireIn !== undefined) {
      const seconds = parseExpireIn(a.expireIn);
      if (seconds === undefined) throw new ControlInputError("artifacts.expireIn is not a duration");
      if (seconds !== null) expireAt = new Date(Date.parse(at) + seconds * 1000).toISOString();
    }
    const bytes =
      a.files !== undefined
        ? zipSync(Object.fromEntries(Object.entries(a.files).map(([name, text]) => [name, strToU8(text)])), {
            mtime: ZIP_MTIME,
          })
        : Buffer.from(a.contents ?? "");
    const { store, transitions } = this.app;
    const saved = store.transaction(() => {
      const build = this.running(id, "attach artifacts to");
      const record = store.artifacts.put(build.id, a.filename ?? "artifacts.zip", bytes, at);
      return transitions.saveDetails({
        ...build,
        artifactsFile: { filename: record.filename, size: record.size },
        artifactsExpireAt: expireAt,
      });
    });
    return infoOf(saved);
  }

  /** Ends a running job: success for exit code 0 without a reason, else failed (`script_failure`). */
  finish(id: number, outcome: JobOutcome = {}): JobStepInfo {
    const parsed = parseJobOutcome(outcome, "outcome");
    if (!parsed.ok) throw new ControlInputError(parsed.error);
    const { exitCode, failureReason } = parsed.value;
    const build = this.running(id, "finish");
    const failed = (exitCode !== undefined && exitCode !== 0) || failureReason !== undefined;
    this.finishBuild(
      {
        type: "finish",
        buildId: build.id,
        state: failed ? "failed" : "success",
        ...(exitCode === undefined ? {} : { exitCode }),
        ...(failed ? { failureReason: failureReason ?? "script_failure" } : {}),
        traceBytes: build.trace.bytes,
      },
      false,
    );
    return this.get(id);
  }

  /** The job, if it is running; else GitLab's refusal for `what`. */
  private running(id: number, what: string): Build {
    const build = this.job(id);
    if (build.status !== "running")
      throw new ControlInputError(`cannot ${what} job ${id}: it is ${build.status}, not running`);
    return build;
  }
}
