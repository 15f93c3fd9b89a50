// A fresh directory per build: the project directory (with the job's sources copied in) and a script dir.

import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";

/** Where one build runs: `projectDir` is `CI_PROJECT_DIR`; scripts go to `scriptDir`, outside it. */
export interface BuildDir {
  root: string;
  projectDir: string;
  scriptDir: string;
  remove(): Promise<void>;
}

/** Directory names never copied from a job's `sourceDir`: git's database and buildsim's own state. */
const SKIPPED_NAMES = new Set([".git", ".buildsim"]);

/** Creates `<buildsDir>/build-<id>-XXXXXX/{project,tmp}` and copies `sourceDir` into `project` when given. */
export async function prepareBuildDir(
  buildsDir: string,
  buildId: number,
  sourceDir: string | null,
): Promise<BuildDir> {
  await mkdir(buildsDir, { recursive: true });
  const root = await mkdtemp(path.join(buildsDir, `build-${buildId}-`));
  const projectDir = path.join(root, "project");
  const scriptDir = path.join(root, "tmp");
  await mkdir(scriptDir);
  if (sourceDir) {
    const source = path.resolve(sourceDir);
    await cp(source, projectDir, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (from) => !SKIPPED_NAMES.has(path.basename(from)) || path.resolve(from) === source,
    });
  } else {
    await mkdir(projectDir);
  }
  return { root, projectDir, scriptDir, remove: () => rm(root, { recursive: true, force: true }) };
}
