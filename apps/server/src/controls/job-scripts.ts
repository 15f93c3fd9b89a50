// Scripted jobs (issue #15): "job X runs 3 minutes, logs this, uploads that, fails with exit code 2".
// When a matching job is queued the server takes it before any runner, and plays it on the server's
// clock through JobSteps (the build machine decides every status): the trace streams to watchers piece by
// piece, artifacts are attached at the end, then it finishes. A frozen clock holds it until advanced.

import { type Build, type JobScript, parseDurationS, parseJobScript } from "@buildsim/core";
import type { App } from "../app.js";
import { ControlInputError } from "../http/control-input-error.js";
import type { JobSteps } from "./job-steps.js";

/** A script in force, as listed. */
export interface JobScriptState extends JobScript {
  id: string;
  /** Jobs it has played (or is playing). */
  plays: number;
  /** For `times` scripts: how many more jobs it will play. */
  remaining?: number;
}

/** Milliseconds of a script's `duration` (a bare number is milliseconds; text is GitLab's duration). */
function durationMs(value: number | string | undefined, field: string): number {
  if (value === undefined) return 0;
  if (typeof value === "number") return value;
  const seconds = parseDurationS(value);
  if (seconds === null)
    throw new ControlInputError(`${field} is invalid (a duration such as "3 mins" or "1h 30m")`);
  return seconds * 1000;
}

/** The scripts of one server, and the jobs being played. */
export class JobScripts {
  private scripts: JobScriptState[] = [];
  private counter = 0;
  /** Clock timers of the jobs being played, by job id. */
  private readonly playing = new Map<number, unknown[]>();
  private readonly onQueued = (build: Build) => this.maybePlay(build);

  constructor(
    private readonly app: Pick<App, "store" | "events" | "clock" | "log">,
    readonly steps: JobSteps,
  ) {
    app.events.on("buildQueued", this.onQueued);
  }

  /**
   * Adds scripts (one, or a list), all or none: the first bad one throws ControlInputError naming its
   * field. Jobs already pending that match are played at once.
   */
  add(scripts: JobScript | readonly JobScript[]): JobScriptState[] {
    return Array.isArray(scripts)
      ? this.addUnchecked(scripts, "scripts")
      : this.addUnchecked([scripts], "script");
  }

  /** `add` for untrusted input (the admin API's body). */
  addUnchecked(inputs: readonly unknown[], prefix: string): JobScriptState[] {
    const ids = new Set(this.scripts.map((s) => s.id));
    const added: JobScriptState[] = [];
    inputs.forEach((input, i) => {
      const at = inputs.length === 1 && prefix === "script" ? prefix : `${prefix}.${i}`;
      const parsed = parseJobScript(input, at);
      if (!parsed.ok) throw new ControlInputError(parsed.error);
      durationMs(parsed.value.duration, `${at}.duration`);
      if (parsed.value.artifacts) {
        const { files, contents } = parsed.value.artifacts;
        if ((files === undefined) === (contents === undefined))
          throw new ControlInputError(`${at}.artifacts needs either files or contents`);
      }
      const id = parsed.value.id ?? `script-${this.counter + added.length + 1}`;
      if (ids.has(id)) throw new ControlInputError(`${at}.id ${JSON.stringify(id)} is already in use`);
      ids.add(id);
      added.push({
        ...parsed.value,
        id,
        plays: 0,
        ...(parsed.value.times === undefined ? {} : { remaining: parsed.value.times }),
      });
    });
    this.counter += added.length;
    this.scripts.push(...added);
    for (const build of this.app.store.builds.listPending()) this.maybePlay(build);
    return added.map((s) => ({ ...s }));
  }

  list(): JobScriptState[] {
    return this.scripts.map((s) => ({ ...s }));
  }

  /** Removes script `id` (jobs it is playing play on); false when there is none. */
  remove(id: string): boolean {
    const before = this.scripts.length;
    this.scripts = this.scripts.filter((s) => s.id !== id);
    return this.scripts.length < before;
  }

  /** Removes every script and stops every job being played where it stands (a reset). */
  clear(): void {
    this.scripts = [];
    this.stopAll();
  }

  /** Stops playing every job (their rows are about to be replaced by a restore). */
  stopAll(): void {
    for (const timers of this.playing.values()) for (const t of timers) this.app.clock.clearTimeout(t);
    this.playing.clear();
  }

  close(): void {
    this.app.events.off("buildQueued", this.onQueued);
    this.clear();
  }

  /** Plays `build` if a script is for it: the first script that matches, in the order added. */
  private maybePlay(queued: Build): void {
    if (queued.status !== "pending" || queued.trigger !== null || this.playing.has(queued.id)) return;
    const script = this.scripts.find(
      (s) =>
        s.name === queued.name &&
        (s.pipeline === undefined || s.pipeline === queued.pipelineId) &&
        (s.project === undefined || s.project === queued.projectId),
    );
    if (!script) return;
    const build = this.app.store.builds.get(queued.id);
    if (build?.status !== "pending") return;
    script.plays++;
    if (script.remaining !== undefined && --script.remaining === 0) this.remove(script.id);
    this.play(build.id, script);
  }

  /** Starts the job now; trace pieces at even steps of the duration; artifacts and the end at its end. */
  private play(id: number, script: JobScript): void {
    this.steps.start(id);
    const total = durationMs(script.duration, "duration");
    const pieces =
      script.trace === undefined ? [] : Array.isArray(script.trace) ? script.trace : [script.trace];
    const timers: unknown[] = [];
    this.playing.set(id, timers);
    /** Runs `step` at `atMs` into the job, if the job still runs (a user may cancel it meanwhile). */
    const at = (atMs: number, step: () => void) => {
      const run = () => {
        if (this.app.store.builds.get(id)?.status !== "running") {
          this.stop(id);
          return;
        }
        try {
          step();
        } catch (e) {
          this.app.log(`scripted job ${id}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          this.stop(id);
        }
      };
      if (atMs === 0) run();
      else timers.push(this.app.clock.setTimeout(run, atMs));
    };
    pieces.forEach((piece, i) => {
      at(Math.floor((total * i) / pieces.length), () => void this.steps.appendTrace(id, piece));
    });
    at(total, () => {
      if (script.artifacts) this.steps.attachArtifacts(id, script.artifacts);
      this.steps.finish(id, {
        ...(script.exitCode === undefined ? {} : { exitCode: script.exitCode }),
        ...(script.failureReason === undefined ? {} : { failureReason: script.failureReason }),
      });
      this.stop(id);
    });
  }

  private stop(id: number): void {
    for (const t of this.playing.get(id) ?? []) this.app.clock.clearTimeout(t);
    this.playing.delete(id);
  }
}
