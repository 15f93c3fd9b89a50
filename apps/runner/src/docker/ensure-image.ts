// Makes an image available as GitLab Runner's pull policies say, with Runner's trace lines; a failure is a
// system failure that names the policies and the daemon's error.

import type { PullPolicy } from "@buildsim/core";
import type Docker from "dockerode";

/** Runner's default when neither the job nor the runner names a policy. */
export const DEFAULT_PULL_POLICIES: readonly PullPolicy[] = ["if-not-present"];

/** The image could not be made available; `message` is Runner's `failed to pull image …` text. */
export class ImagePullError extends Error {
  readonly code = "IMAGE_PULL_FAILED";
}

/** The daemon's error text, as the Docker CLI prints it. */
function daemonMessage(error: unknown): string {
  const e = error as { json?: { message?: string }; message?: string };
  return e.json?.message ? `Error response from daemon: ${e.json.message}` : (e.message ?? String(error));
}

async function inspectOrNull(docker: Docker, name: string): Promise<Docker.ImageInspectInfo | null> {
  try {
    return await docker.getImage(name).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw error;
  }
}

async function pull(docker: Docker, name: string, signal: AbortSignal): Promise<void> {
  const stream = await docker.pull(name, { abortSignal: signal });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, events: Array<{ error?: string }>) => {
      const failed = events?.find((event) => event.error);
      if (error) reject(error);
      else if (failed) reject(new Error(failed.error));
      else resolve();
    });
  });
}

/**
 * Tries each policy in order (Runner's list semantics): `never` uses the local image only, `if-not-present`
 * pulls only when it is missing, `always` pulls. Resolves with the image id; rejects with ImagePullError.
 */
export async function ensureImage(
  docker: Docker,
  name: string,
  policies: readonly PullPolicy[] | undefined,
  trace: (text: string) => void,
  signal: AbortSignal,
): Promise<string> {
  const list = policies && policies.length > 0 ? policies : DEFAULT_PULL_POLICIES;
  let lastError = "";
  for (const policy of list) {
    try {
      if (policy !== "always") {
        const local = await inspectOrNull(docker, name);
        if (local) {
          if (policy === "if-not-present")
            trace(`Using locally found image version due to "if-not-present" pull policy\n`);
          trace(`Using docker image ${local.Id} for ${name} ...\n`);
          return local.Id;
        }
        if (policy === "never") {
          lastError = `Error response from daemon: No such image: ${name}`;
          continue;
        }
      }
      trace(`Pulling docker image ${name} ...\n`);
      await pull(docker, name, signal);
      const pulled = await docker.getImage(name).inspect();
      trace(`Using docker image ${pulled.Id} for ${name} ...\n`);
      return pulled.Id;
    } catch (error) {
      if (signal.aborted) throw error;
      lastError = daemonMessage(error);
      trace(`WARNING: Failed to pull image with policy "${policy}": ${lastError}\n`);
    }
  }
  throw new ImagePullError(
    `failed to pull image "${name}" with specified policies [${list.join(" ")}]: ${lastError}`,
  );
}
