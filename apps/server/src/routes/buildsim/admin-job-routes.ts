// Jobs without a runner over HTTP (see admin-routes.ts for the prefix and access):
//
//   GET    /-/buildsim/admin/scripts                    → {scripts}: the job scripts in force
//   POST   /-/buildsim/admin/scripts                    (a script, or {scripts: [...]}) → 201 {scripts}
//   DELETE /-/buildsim/admin/scripts                    → 204, all removed
//   DELETE /-/buildsim/admin/scripts/:id                → 204, or 404 {"message": "404 Script Not Found"}
//   POST   /-/buildsim/admin/jobs/:job_id/start         → 200 the job: pending → running
//   POST   /-/buildsim/admin/jobs/:job_id/trace         ({text}) → 200: appended, watchers see it
//   POST   /-/buildsim/admin/jobs/:job_id/artifacts     ({files | contents, filename?, expireIn?}) → 200
//   POST   /-/buildsim/admin/jobs/:job_id/finish        ({exitCode?, failureReason?}) → 200
//
// A job that does not exist is GitLab's 404 `{"message": "404 Job Not Found"}`; a step the build machine
// refuses is 400 in GitLab's words.

import { JobOutcomeSchema, JobScriptSchema, ScriptArtifactsSchema } from "@buildsim/core";
import { Type } from "@sinclair/typebox";
import type { JobScripts } from "../../controls/job-scripts.js";
import type { JobStepInfo } from "../../controls/job-steps.js";
import { ControlInputError } from "../../http/control-input-error.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { empty, json } from "../../http/route-spec.js";
import type { Router } from "../../http/router.js";
import type { RouteHandler } from "../route-handler.js";
import { ADMIN_API_PREFIX, asAdmin, jsonBody, NO_CONTENT } from "./admin-access.js";

const Info = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  status: Type.String(),
  failureReason: Type.Union([Type.String(), Type.Null()]),
  traceBytes: Type.Integer({ minimum: 0 }),
});
const ScriptState = Type.Object({
  id: Type.String(),
  name: Type.String(),
  plays: Type.Integer({ minimum: 0 }),
  remaining: Type.Optional(Type.Integer({ minimum: 0 })),
});
const JOB_NOT_FOUND: Reply = jsonReply(404, { message: "404 Job Not Found" });
const Scripts = Type.Object({ scripts: Type.Array(ScriptState) });

/** `{scripts: [...]}` is a list; anything else is one script. */
function scriptInputs(body: unknown): { inputs: unknown[]; prefix: string } {
  if (body && typeof body === "object" && !Array.isArray(body) && "scripts" in body) {
    const { scripts, ...rest } = body as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) throw new ControlInputError(`${unknown} is not a known field`);
    if (!Array.isArray(scripts)) throw new ControlInputError("scripts must be a list of job scripts");
    return { inputs: scripts, prefix: "scripts" };
  }
  return { inputs: [body], prefix: "script" };
}

/** Adds the job script and job step routes over `jobs`. */
export function addAdminJobRoutes(router: Router<RouteHandler>, jobs: JobScripts): void {
  const scripts = `${ADMIN_API_PREFIX}/scripts`;
  router.add(
    "GET",
    scripts,
    asAdmin(() => jsonReply(200, { scripts: jobs.list() })),
    { summary: "The job scripts in force", api: "admin", responses: { 200: json("The scripts", Scripts) } },
  );
  router.add(
    "POST",
    scripts,
    asAdmin((ctx) => {
      const { inputs, prefix } = scriptInputs(jsonBody(ctx));
      return jsonReply(201, { scripts: jobs.addUnchecked(inputs, prefix) });
    }),
    {
      summary:
        "Play jobs of this name without a runner when they are queued (trace, duration, artifacts, end)",
      api: "admin",
      params: JobScriptSchema,
      responses: { 201: json("The scripts added", Scripts) },
    },
  );
  router.add(
    "DELETE",
    scripts,
    asAdmin(() => {
      jobs.clear();
      return NO_CONTENT;
    }),
    { summary: "Remove every job script", api: "admin", responses: { 204: empty("Removed") } },
  );
  router.add(
    "DELETE",
    `${scripts}/:id`,
    asAdmin((ctx) =>
      jobs.remove(ctx.route.id ?? "") ? NO_CONTENT : jsonReply(404, { message: "404 Script Not Found" }),
    ),
    { summary: "Remove a job script", api: "admin", responses: { 204: empty("Removed") } },
  );

  /** A step on the job of the path; 404 as GitLab's for a job that is not there. */
  const step = (summary: string, run: (id: number, body: unknown) => JobStepInfo, params?: object) => {
    const handler = asAdmin((ctx: RequestContext): Reply => {
      const id = Number(ctx.route.job_id);
      if (!Number.isSafeInteger(id) || !jobs.steps.exists(id)) return JOB_NOT_FOUND;
      return jsonReply(200, run(id, jsonBody(ctx)));
    });
    return [
      handler,
      { summary, api: "admin" as const, ...params, responses: { 200: json("The job", Info) } },
    ] as const;
  };
  const jobPath = `${ADMIN_API_PREFIX}/jobs/:job_id`;
  router.add(
    "POST",
    `${jobPath}/start`,
    ...step("Start a pending job without a runner", (id) => jobs.steps.start(id)),
  );
  router.add(
    "POST",
    `${jobPath}/trace`,
    ...step(
      "Append to a running job's trace (live watchers see it)",
      (id, body) => {
        const { text, ...rest } = (body ?? {}) as Record<string, unknown>;
        const unknown = Object.keys(rest)[0];
        if (unknown !== undefined) throw new ControlInputError(`${unknown} is not a known field`);
        if (typeof text !== "string") throw new ControlInputError("text is missing");
        return jobs.steps.appendTrace(id, text);
      },
      { params: Type.Object({ text: Type.String() }) },
    ),
  );
  router.add(
    "POST",
    `${jobPath}/artifacts`,
    ...step(
      "Attach artifacts to a running job",
      (id, body) => jobs.steps.attachArtifacts(id, body as never),
      { params: ScriptArtifactsSchema },
    ),
  );
  router.add(
    "POST",
    `${jobPath}/finish`,
    ...step(
      "Finish a running job: success, or failed with an exit code and reason",
      (id, body) => jobs.steps.finish(id, body as never),
      { params: JobOutcomeSchema },
    ),
  );
}
