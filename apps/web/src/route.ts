// The pages and the paths they live at: GitLab's own, so any `web_url` the API returns opens its page.

/** A parsed location. */
export type Route =
  | { page: "projects" }
  | { page: "runners" }
  | { page: "pipelines"; project: string }
  | { page: "pipeline"; project: string; id: number }
  | { page: "job"; project: string; id: number }
  | { page: "not-found" };

/** Reads the page from a path like `/group/app/-/jobs/7`. */
export function parseRoute(pathname: string): Route {
  const path = decodeURI(pathname).replace(/\/+$/, "");
  if (path === "") return { page: "projects" };
  if (path === "/admin/runners") return { page: "runners" };
  let m = /^\/(.+?)\/-\/pipelines\/(\d+)$/.exec(path);
  if (m) return { page: "pipeline", project: m[1]!, id: Number(m[2]) };
  m = /^\/(.+?)\/-\/jobs\/(\d+)$/.exec(path);
  if (m) return { page: "job", project: m[1]!, id: Number(m[2]) };
  m = /^\/(.+?)\/-\/pipelines$/.exec(path);
  if (m) return { page: "pipelines", project: m[1]! };
  m = /^\/([^-].*)$/.exec(path);
  if (m && !m[1]!.includes("/-/")) return { page: "pipelines", project: m[1]! };
  return { page: "not-found" };
}

/** Paths of the pages, for links. */
export const paths = {
  pipelines: (project: string) => `/${project}/-/pipelines`,
  pipeline: (project: string, id: number) => `/${project}/-/pipelines/${id}`,
  job: (project: string, id: number) => `/${project}/-/jobs/${id}`,
};

/** Moves to `href` without reloading (the app re-reads the location). */
export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  dispatchEvent(new PopStateEvent("popstate"));
}
