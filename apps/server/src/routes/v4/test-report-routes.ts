// GET /projects/:id/pipelines/:pipeline_id/test_report and …/test_report_summary: the unit test reports
// of the pipeline's jobs (https://docs.gitlab.com/api/pipelines/#get-a-test-report-for-a-pipeline).

import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentTestReportSummaryV4, presentTestReportV4 } from "../../presenters/present-test-report-v4.js";
import { loadPipelineTestSuites } from "../../services/test-reports.js";
import type { AccessDeps } from "../access.js";
import { findPipelineV4 } from "./pipeline-routes.js";

/** `GET …/test_report`: every suite with its cases. */
export function getPipelineTestReport(ctx: RequestContext, app: AccessDeps): Reply {
  const pipeline = findPipelineV4(ctx, app);
  return jsonReply(200, presentTestReportV4(loadPipelineTestSuites(app.store, pipeline.id)));
}

/** `GET …/test_report_summary`: the counts per suite, with the builds that reported into it. */
export function getPipelineTestReportSummary(ctx: RequestContext, app: AccessDeps): Reply {
  const pipeline = findPipelineV4(ctx, app);
  return jsonReply(200, presentTestReportSummaryV4(loadPipelineTestSuites(app.store, pipeline.id)));
}
