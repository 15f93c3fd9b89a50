// One browser test file's world: repository, server and runner processes, a Chromium, and an admin
// client to create pipelines with, all torn down together.

import { type Client, createClient } from "@buildsim/client";
import type { TestBrowser } from "./browser.js";
import { launchBrowser } from "./browser.js";
import { PIPELINE_CONFIG } from "./pipeline-config.js";
import { killAll, makeRepo, startRunner, startUiServer, TOKENS, tempDir } from "./processes.js";

/** What a test file works with. */
export interface UiFixture {
  url: string;
  projectId: number;
  browser: TestBrowser;
  admin: Client;
  runnerOutput: () => string;
  /** Creates a pipeline for `scenario` on main; resolves with its id. */
  /** Creates a pipeline for `scenario`, with extra CI variables if given. */
  createPipeline(scenario: string, variables?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

/** Starts everything. */
export async function startUiFixture(): Promise<UiFixture> {
  const repo = tempDir("buildsim-web-repo-");
  const builds = tempDir("buildsim-web-builds-");
  makeRepo(repo.dir, PIPELINE_CONFIG);
  const server = await startUiServer(repo.dir);
  const runner = startRunner(server.url, builds.dir);
  const browser = await launchBrowser();
  const admin = createClient({ baseUrl: server.url, token: TOKENS.admin });
  return {
    url: server.url,
    projectId: server.projectId,
    browser,
    admin,
    runnerOutput: runner.output,
    async createPipeline(scenario, variables = {}) {
      const extra = Object.entries(variables).map(([key, value]) => ({ key, value }));
      const pipeline = await admin.v4.pipelines.create(server.projectId, "main", {
        variables: [{ key: "SCENARIO", value: scenario }, ...extra],
      });
      return pipeline.id;
    },
    async close() {
      await browser.close();
      killAll();
      repo.remove();
      builds.remove();
    },
  };
}
