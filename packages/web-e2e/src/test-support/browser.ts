// Debian's Chromium driven by playwright-core (Playwright's own browser download cannot work here), with
// a fresh profile per launch, plus helpers the pages' tests share (sign-in, axe-core).

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = process.env.BUILDSIM_CHROMIUM ?? "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A launched browser (one context, fresh profile) and its teardown. */
export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh `--user-data-dir`. */
export async function launchBrowser(viewport = { width: 1100, height: 800 }): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  const profile = mkdtempSync(path.join(os.tmpdir(), "buildsim-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens `url` signed in with `token` (kept in sessionStorage, as the sign-in form keeps it). */
export async function openAs(context: BrowserContext, url: string, token: string | null): Promise<Page> {
  const page = await context.newPage();
  if (token) {
    await page.addInitScript((t) => sessionStorage.setItem("buildsim.token", t), token);
  }
  await page.goto(url);
  return page;
}

const axeSource = (): string => {
  const require = createRequire(import.meta.url);
  return (require("axe-core") as { source: string }).source;
};

/** axe-core's serious and critical violations on the page as it is now (rule id and the nodes' targets). */
export async function seriousViolations(
  page: Page,
): Promise<{ id: string; impact: string; targets: string[] }[]> {
  await page.addScriptTag({ content: axeSource() });
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
}
