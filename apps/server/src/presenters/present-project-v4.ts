// Renders the v4 project entity with the fields buildsim stores, named and ordered as GitLab's
// `Entities::Project`, so clients that fetch a project before its jobs get what they look for.

import type { Project, ProjectEntity } from "@buildsim/core";

/** The project entity; `webUrl` is GitLab's base URL. */
export function presentProjectV4(project: Project, webUrl: string): ProjectEntity {
  const parts = project.pathWithNamespace.split("/");
  const path = parts[parts.length - 1] ?? project.pathWithNamespace;
  const namespacePath = parts.slice(0, -1).join("/");
  const host = webUrl.replace(/^[a-z]+:\/\//, "").replace(/\/.*$/, "");
  return {
    id: project.id,
    description: project.description,
    name: project.name,
    name_with_namespace: [...parts.slice(0, -1), project.name].join(" / "),
    path,
    path_with_namespace: project.pathWithNamespace,
    created_at: project.createdAt,
    default_branch: project.defaultBranch,
    tag_list: [],
    topics: [],
    ssh_url_to_repo: `git@${host}:${project.pathWithNamespace}.git`,
    http_url_to_repo: `${webUrl}/${project.pathWithNamespace}.git`,
    web_url: `${webUrl}/${project.pathWithNamespace}`,
    readme_url: null,
    avatar_url: null,
    forks_count: 0,
    star_count: 0,
    last_activity_at: project.createdAt,
    namespace: {
      name: parts[parts.length - 2] ?? namespacePath,
      path: parts[parts.length - 2] ?? namespacePath,
      kind: "group",
      full_path: namespacePath,
      web_url: `${webUrl}/groups/${namespacePath}`,
    },
    visibility: project.visibility,
    archived: false,
    jobs_enabled: project.buildsEnabled,
    builds_access_level: project.buildsEnabled ? "enabled" : "disabled",
    public_jobs: project.publicBuilds,
    shared_runners_enabled: true,
    ci_config_path: null,
  };
}
