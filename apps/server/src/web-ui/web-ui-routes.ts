// Serves the built web UI (apps/web) beside the API: its assets, and its single page at GitLab's own page
// paths, so every `web_url` the API returns opens the matching page. v3-era `…/builds/:id` links redirect.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { App } from "../app.js";
import { ApiError } from "../http/api-error.js";
import type { Reply } from "../http/reply.js";
import type { RequestContext } from "../http/request-context.js";
import { empty, html, type RouteSpec } from "../http/route-spec.js";
import type { Router } from "../http/router.js";
import type { RouteHandler } from "../routes/route-handler.js";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".map": "application/json",
  ".woff2": "font/woff2",
};

/** A web UI build: `index.html` and its hashed files under `assets/`. */
export interface WebUiFiles {
  /** The directory holding `index.html`. */
  dir: string;
}

/** Whether `dir` holds a web UI build. */
export function hasWebUi(dir: string): boolean {
  return existsSync(path.join(dir, "index.html"));
}

function fileReply(file: string, cacheControl: string): Reply {
  return {
    status: 200,
    headers: [
      "Content-Type",
      CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
      "Cache-Control",
      cacheControl,
      "X-Content-Type-Options",
      "nosniff",
    ],
    body: readFileSync(file),
  };
}

function redirect(location: string): Reply {
  return {
    status: 302,
    headers: ["Location", location, "Content-Type", "text/plain"],
    body: Buffer.alloc(0),
  };
}

/** The project path of a page route; API paths are never pages, whatever they look like. */
function pagePath(ctx: RequestContext): string {
  const project = ctx.route.project ?? "";
  if (project === "api" || project.startsWith("api/") || project.startsWith("-/"))
    throw ApiError.of("ROUTE_NOT_FOUND");
  return project;
}

/**
 * Adds the UI's routes. Page paths answer the app's `index.html` (the page itself reads its path); an
 * unknown project path is left to the API's catch-all 404, as GitLab answers for pages it has not.
 */
export function addWebUiRoutes(router: Router<RouteHandler>, files: WebUiFiles): void {
  const assets = path.join(files.dir, "assets");
  // index.html names the hashed assets of this build: never cache it, cache the assets for good.
  const page = (): Reply => fileReply(path.join(files.dir, "index.html"), "no-cache");
  const projectPage: RouteHandler<Pick<App, "store">> = (ctx, app) => {
    if (!app.store.projects.getByPath(pagePath(ctx))) throw ApiError.of("ROUTE_NOT_FOUND");
    return page();
  };
  const ui = (summary: string): RouteSpec => ({ summary, api: "ui", responses: { 200: html("The page") } });
  router
    .add("GET", "/", page, ui("The web UI: projects"))
    .add("GET", "/admin/runners", page, ui("The web UI: runners"))
    .add(
      "GET",
      "/assets/:file",
      (ctx) => {
        const name = ctx.route.file ?? "";
        // `:file` is one segment, so no `/`; refuse dot-files and `..` all the same.
        const file = path.join(assets, name);
        if (name.startsWith(".") || !existsSync(file)) throw ApiError.of("ROUTE_NOT_FOUND");
        return fileReply(file, "public, max-age=31536000, immutable");
      },
      {
        summary: "The web UI's scripts and styles",
        api: "ui",
        responses: { 200: { description: "The asset", file: "*/*" } },
      },
    )
    .add("GET", "/*project/-/pipelines", projectPage, ui("The web UI: a project's pipelines"))
    .add("GET", "/*project/-/pipelines/:pipeline_id", projectPage, ui("The web UI: a pipeline"))
    .add("GET", "/*project/-/jobs/:job_id", projectPage, ui("The web UI: a job and its log"))
    // GitLab 8's build pages lived at /:namespace/:project/builds/:id; today's at /-/jobs/:id.
    .add(
      "GET",
      "/*project/builds/:build_id",
      (ctx) => redirect(`/${pagePath(ctx)}/-/jobs/${encodeURIComponent(ctx.route.build_id ?? "")}`),
      {
        summary: "GitLab 8's build page: redirects to the job's page",
        api: "ui",
        responses: { 302: empty("To the job's page") },
      },
    )
    .add("GET", "/*project", projectPage, ui("The web UI: a project"));
}
