// Cancel latency (issue 17: "cancel from the page stops a `sleep 60` job in < 1 s"): ms from the Cancel
// click on the job page to the job's `sleep` process gone, against the same cancel sent straight to the
// API (the baseline, same run, alternating), so the page's own share of the time shows as a ratio.

import { readFileSync } from "node:fs";
import type { BrowserContext } from "playwright-core";
import { ADMIN_TOKEN, CANCEL_JOB_IDS, getJson, postAs, waitForJob } from "./web-bench-setup.js";

/** Alive and not a zombie: a killed child its shell has not reaped yet counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch {
    return false;
  }
}

/** Plays manual job `id` and resolves with its `sleep`'s pid, read from the trace once it runs. */
async function startSleeper(url: string, id: number): Promise<number> {
  await postAs(url, `/api/v4/projects/1/jobs/${id}/play`);
  for (;;) {
    const res = await fetch(`${url}/api/v4/projects/1/jobs/${id}/trace`, {
      headers: { "PRIVATE-TOKEN": ADMIN_TOKEN },
    });
    const pid = /sleep-pid (\d+)/.exec(await res.text());
    if (pid) return Number(pid[1]);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** ms from `start` until `pid` is gone (polled every 2 ms; gives up at 30 s). */
async function msUntilGone(pid: number, start: number): Promise<number> {
  while (isAlive(pid)) {
    if (performance.now() - start > 30_000) throw new Error(`sleep ${pid} still alive 30 s after cancel`);
    await new Promise((r) => setTimeout(r, 2));
  }
  return performance.now() - start;
}

/** Per round: one cancel from the page and one through the API; every job must end canceled. */
export async function measureCancel(
  context: BrowserContext,
  url: string,
  rounds: number,
): Promise<{ pageMs: number[]; apiMs: number[] }> {
  const pageMs: number[] = [];
  const apiMs: number[] = [];
  const ids = CANCEL_JOB_IDS.slice(0, rounds * 2);
  if (ids.length < rounds * 2)
    throw new Error(`the seed has sleepers for ${CANCEL_JOB_IDS.length / 2} rounds`);
  for (let i = 0; i < ids.length; i += 2) {
    const [pageJob, apiJob] = [ids[i]!, ids[i + 1]!];
    const page = await context.newPage();
    const pagePid = await startSleeper(url, pageJob);
    await page.goto(`${url}/bench/app/-/jobs/${pageJob}`);
    const cancel = page.getByRole("button", { name: "Cancel", exact: true });
    await cancel.waitFor();
    const clickedAt = performance.now();
    await cancel.click();
    pageMs.push(await msUntilGone(pagePid, clickedAt));
    await page.close();

    const apiPid = await startSleeper(url, apiJob);
    const postedAt = performance.now();
    // GitLab answers a cancel with 201 Created (a POST), a play with 200.
    await postAs(url, `/api/v4/projects/1/jobs/${apiJob}/cancel`, 201);
    apiMs.push(await msUntilGone(apiPid, postedAt));
    for (const id of [pageJob, apiJob]) await waitForJob(url, id, ["canceled"]);
  }
  const statuses = await Promise.all(
    ids.map((id) => getJson<{ status: string }>(url, `/api/v4/projects/1/jobs/${id}`)),
  );
  if (statuses.some((s) => s.status !== "canceled"))
    throw new Error("a canceled sleeper did not end canceled");
  return { pageMs, apiMs };
}
