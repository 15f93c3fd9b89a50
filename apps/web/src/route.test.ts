// Pages live at GitLab's paths, so the API's web_url values open them.
// https://docs.gitlab.com/ee/api/jobs.html (web_url: …/-/jobs/:id), …/pipelines.html (…/-/pipelines/:id)

import { describe, expect, it } from "vitest";
import { parseRoute } from "./route.js";

describe("parseRoute", () => {
  it("reads GitLab's page paths, nested namespaces included", () => {
    expect(parseRoute("/")).toEqual({ page: "projects" });
    expect(parseRoute("/admin/runners")).toEqual({ page: "runners" });
    expect(parseRoute("/g/sub/app/-/pipelines")).toEqual({ page: "pipelines", project: "g/sub/app" });
    expect(parseRoute("/g/app/-/pipelines/12")).toEqual({ page: "pipeline", project: "g/app", id: 12 });
    expect(parseRoute("/g/app/-/jobs/7")).toEqual({ page: "job", project: "g/app", id: 7 });
    expect(parseRoute("/g/app")).toEqual({ page: "pipelines", project: "g/app" });
  });

  it("answers not-found for other paths under /-/", () => {
    expect(parseRoute("/g/app/-/issues")).toEqual({ page: "not-found" });
  });
});
