// A fresh directory per build: the project directory (with the job's sources copied in) and a script dir.

import { constants } from "node:fs";
import { copyFile, lstat, mkdir, mkdtemp, readlink, rm, symlink } from "node:fs/promises";
import path from "node:path";
import { listSourceFiles } from "./list-source-files.js";

/** Where one build runs: `projectDir` is `CI_PROJECT_DIR`; scripts go to `scriptDir`, outside it. */
export interface BuildDir {
  root: string;
  projectDir: string;
  scriptDir: string;
  remove(): Promise<void>;
}

/**
 * Copies the job's sources file by file (`fs.cp` walks and stats far more than a job needs); a file
 * listed but gone from the work tree (deleted, not yet committed) is skipped, as a clone would not have
 * it either once committed.
 */
async function copySources(source: string, target: string): Promise<void> {
  const files = await listSourceFiles(source);
  const dirs = new Set(files.map((f) => path.dirname(f)).filter((d) => d !== "."));
  for (const dir of [...dirs].sort()) await mkdir(path.join(target, dir), { recursive: true });
  await Promise.all(
    files.map(async (file) => {
      const from = path.join(source, file);
      const to = path.join(target, file);
      try {
        const stat = await lstat(from);
        if (stat.isSymbolicLink()) await symlink(await readlink(from), to);
        else if (stat.isFile()) await copyFile(from, to, constants.COPYFILE_FICLONE);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }),
  );
}

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
  await mkdir(projectDir);
  if (sourceDir) await copySources(path.resolve(sourceDir), projectDir);
  return { root, projectDir, scriptDir, remove: () => rm(root, { recursive: true, force: true }) };
}
