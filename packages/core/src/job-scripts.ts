// Scripted jobs for the contract-testing controls (issue #15): a job the server plays itself, without a
// runner — its trace, how long it takes, its artifacts and how it ends — and the inputs of the controls
// that move one job by hand. Checked field by field so an error names the field.

import type { Static } from "@sinclair/typebox";
import { Type } from "@sinclair/typebox";
import { createControlInputParser } from "./contract-controls.js";
import { FailureReasonSchema } from "./status.js";

const Duration = Type.Union([Type.Number({ minimum: 0 }), Type.String({ minLength: 1 })], {
  description: 'Milliseconds, or a duration as GitLab writes them ("90" is seconds, "3 mins", "1h 30m")',
});

/** Artifacts to attach to a job: a zip of `files`, or raw `contents`. */
export const ScriptArtifactsSchema = Type.Object(
  {
    files: Type.Optional(
      Type.Record(Type.String({ minLength: 1 }), Type.String(), {
        description: "Path in the archive → text; becomes a real zip",
      }),
    ),
    contents: Type.Optional(Type.String({ description: "The archive's bytes, as text" })),
    filename: Type.Optional(Type.String({ minLength: 1, description: "@default artifacts.zip" })),
    expireIn: Type.Optional(
      Type.String({
        minLength: 1,
        description: "As `artifacts:expire_in` (`1 week`, `never`), from the server's now",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ScriptArtifacts = Static<typeof ScriptArtifactsSchema>;

/** How a job ends: an exit code (0 is success), and for a failure GitLab's reason. */
export const JobOutcomeSchema = Type.Object(
  {
    exitCode: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, description: "@default 0 (success)" })),
    failureReason: Type.Optional(FailureReasonSchema),
  },
  { additionalProperties: false },
);
export type JobOutcome = Static<typeof JobOutcomeSchema>;

/** A job the server plays when it is queued: which one, and what happens while it runs. */
export const JobScriptSchema = Type.Object(
  {
    id: Type.Optional(
      Type.String({ pattern: "^[A-Za-z0-9_.-]{1,64}$", description: "@default `script-<n>`" }),
    ),
    name: Type.String({ minLength: 1, description: "The job's name" }),
    pipeline: Type.Optional(Type.Integer({ minimum: 1, description: "Only this pipeline's job" })),
    project: Type.Optional(Type.Integer({ minimum: 1, description: "Only this project's jobs" })),
    times: Type.Optional(Type.Integer({ minimum: 1, description: "Play only the next N such jobs" })),
    trace: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.String())], {
        description: "The job's log; a list is streamed piece by piece, spread evenly over the duration",
      }),
    ),
    duration: Type.Optional(Duration),
    exitCode: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, description: "@default 0 (success)" })),
    failureReason: Type.Optional(FailureReasonSchema),
    artifacts: Type.Optional(ScriptArtifactsSchema),
  },
  { additionalProperties: false },
);
/** A job script, checked. */
export type JobScript = Static<typeof JobScriptSchema>;

/** Checks a job script; the error names the field under `prefix` (`scripts.0.duration`). */
export const parseJobScript = createControlInputParser(JobScriptSchema);
/** Checks artifacts to attach. */
export const parseScriptArtifacts = createControlInputParser(ScriptArtifactsSchema);
/** Checks a job's outcome. */
export const parseJobOutcome = createControlInputParser(JobOutcomeSchema);
