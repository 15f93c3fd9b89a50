// Include sources for pipelines the server creates itself (`POST /projects/:id/pipeline`): other local
// projects it knows read through git at the include's ref, and its CI templates folder. Remote files are
// not fetched inside a request; `buildsim run` fetches them before creating its pipeline.

import { readFileSync } from "node:fs";
import path from "node:path";
import { type IncludeFetch, type IncludeSources, OFFLINE_SOURCES } from "@buildsim/ci-config";
import type { Store } from "../store/create-store.js";
import { createGitSource } from "./git-source.js";

/** A file of a local project as of `ref` (HEAD when null), answered like GitLab's include errors. */
function projectFile(store: Store, project: string, ref: string | null, file: string): IncludeFetch {
  const found = store.projects.getByPath(project);
  const dir = found ? store.projectSources.get(found.id) : undefined;
  if (!found || !dir) return OFFLINE_SOURCES.project(project, ref, file);
  const git = createGitSource(dir);
  const resolved = git.resolve(ref ?? "HEAD");
  if (!resolved) return { ok: false, message: `Project \`${project}\` reference \`${ref}\` does not exist!` };
  const bytes = git.blob(resolved.sha, file);
  return bytes
    ? { ok: true, content: bytes.toString("utf8") }
    : { ok: false, notFound: true, message: `Project \`${project}\` file \`${file}\` does not exist!` };
}

/** Sources over the store's local projects and `templatesDir`; remote includes stay offline errors. */
export function createLocalIncludeSources(store: Store, templatesDir: string | null): IncludeSources {
  return {
    project: (project, ref, file) => projectFile(store, project, ref, file),
    remote: OFFLINE_SOURCES.remote,
    template: (name) => {
      try {
        if (!templatesDir) throw new Error("no templates");
        const full = path.resolve(templatesDir, name);
        if (!full.startsWith(path.resolve(templatesDir) + path.sep)) throw new Error("outside");
        return { ok: true, content: readFileSync(full, "utf8") };
      } catch {
        return OFFLINE_SOURCES.template(name);
      }
    },
    component: (address) => {
      const match = /^[^/]+\/(.+)\/([^/@]+)@(.+)$/.exec(address);
      if (!match) return OFFLINE_SOURCES.component(address);
      const [, project, name, version] = match as unknown as [string, string, string, string];
      const ref = version === "~latest" ? null : version;
      for (const file of [`templates/${name}.yml`, `templates/${name}/template.yml`]) {
        const fetched = projectFile(store, project, ref, file);
        if (fetched.ok === true) return { ...fetched, project, ...(ref === null ? {} : { ref }) };
      }
      return OFFLINE_SOURCES.component(address);
    },
  };
}
