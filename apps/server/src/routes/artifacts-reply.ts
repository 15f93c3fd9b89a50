// The stored artifacts archive of a build as a download, the way GitLab 8.x's `present_file!` sends it
// (v3 and the runner API; v4 quotes the filename as current GitLab does).

import type { App } from "../app.js";
import { ApiError } from "../http/api-error.js";
import type { Reply } from "../http/reply.js";

/** The artifacts archive as GitLab's `present_file!` serves it. */
export function artifactsReply(app: Pick<App, "store">, buildId: number): Reply {
  const file = app.store.artifacts.read(buildId);
  if (!file) throw ApiError.of("NOT_FOUND");
  return {
    status: 200,
    headers: [
      "Content-Type",
      "application/octet-stream",
      "Content-Disposition",
      `attachment; filename=${file.record.filename.replace(/[^\x20-\x7e]/g, "_")}`,
      "Content-Transfer-Encoding",
      "binary",
    ],
    body: file.bytes,
  };
}
