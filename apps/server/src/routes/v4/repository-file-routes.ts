// What other pipelines' `include:project` and `include:template` read from this server: a raw repository
// file of a local project (`GET /projects/:id/repository/files/:file_path/raw?ref=`) and a CI template
// (`GET /templates/gitlab_ci_ymls/:key`), with GitLab's headers and 404 messages.
// https://docs.gitlab.com/api/repository_files/#get-raw-file-from-repository
// https://docs.gitlab.com/api/templates/gitlab_ci_ymls/#single-gitlab-ci-yaml-template

import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { createGitSource } from "../../services/git-source.js";
import type { AccessDeps } from "../access.js";
import { callerOf, findProjectV4 } from "./v4-access.js";

/** A file below `root`, or null when it is missing, a folder, or outside `root`. */
function readInside(root: string, relative: string): Buffer | null {
  const full = path.resolve(root, relative);
  if (!full.startsWith(path.resolve(root) + path.sep)) return null;
  try {
    return statSync(full).isFile() ? readFileSync(full) : null;
  } catch {
    return null;
  }
}

/**
 * `GET /projects/:id/repository/files/:file_path/raw`: the file as of `ref` (default: HEAD). Public
 * projects need no token; a job token reads its own project. A work tree that is not a git repository
 * has one version, served whatever the ref.
 */
export function getRawRepositoryFile(ctx: RequestContext, app: AccessDeps): Reply {
  const caller = callerOf(ctx, app, true);
  const project = findProjectV4(ctx, app, caller);
  const ref = typeof ctx.params.ref === "string" && ctx.params.ref !== "" ? ctx.params.ref : "HEAD";
  const filePath = (ctx.route.file_path ?? "").replace(/^\/+/, "");
  const dir = app.store.projectSources.get(project.id);
  if (!dir || filePath === "") throw ApiError.of("FILE_NOT_FOUND");
  const git = createGitSource(dir);
  const head = git.resolve("HEAD");
  let bytes: Buffer | null;
  let commitId: string | null = null;
  if (head) {
    const resolved = git.resolve(ref);
    if (!resolved) throw ApiError.of("COMMIT_NOT_FOUND");
    commitId = resolved.sha;
    bytes = git.blob(resolved.sha, path.posix.normalize(filePath));
  } else {
    bytes = readInside(dir, filePath);
  }
  if (!bytes) throw ApiError.of("FILE_NOT_FOUND");
  const headers = [
    "Content-Type",
    "text/plain; charset=utf-8",
    "X-Gitlab-File-Name",
    path.posix.basename(filePath),
    "X-Gitlab-File-Path",
    filePath,
    "X-Gitlab-Ref",
    ref,
    "X-Gitlab-Size",
    String(bytes.byteLength),
    ...(commitId ? ["X-Gitlab-Commit-Id", commitId] : []),
  ];
  return { status: 200, headers, body: bytes };
}

/**
 * `GET /templates/gitlab_ci_ymls/:key`: `{name, content}` from `<key>.gitlab-ci.yml` (or `<key>.yml`) in
 * the server's CI templates folder (`--data`'s `ci-templates/`); keys may name subfolders (`Jobs/Build`).
 */
export function getCiYmlTemplate(ctx: RequestContext, app: Pick<App, "ciTemplatesDir">): Reply {
  const key = ctx.route.key ?? "";
  const dir = app.ciTemplatesDir;
  const content = dir ? (readInside(dir, `${key}.gitlab-ci.yml`) ?? readInside(dir, `${key}.yml`)) : null;
  if (!content) throw ApiError.of("TEMPLATE_NOT_FOUND");
  return jsonReply(200, { name: key, content: content.toString("utf8") });
}
