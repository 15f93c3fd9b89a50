// The published packages as a user gets them: `pnpm pack` tarballs installed by npm into a scratch
// project, then the CLI through `npx buildsim`, an embedding test (startServer + the client) under vitest
// and strict TypeScript without skipLibCheck, and `require()` of the client from CommonJS.
// npm resolves a tarball's dependencies like any other (https://docs.npmjs.com/cli/v10/commands/npm-install);
// pnpm pack replaces `workspace:` ranges with versions (https://pnpm.io/workspaces#publishing-workspace-packages).

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPacked, type PackedInstall } from "./install-packed.js";
import { WORKSPACE_ROOT } from "./workspace-root.js";

let installed: PackedInstall;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what it removes.
const ANSI = /\x1b\[[0-9;]*m/g;

beforeAll(() => {
  installed = installPacked(["typescript@5.9.3", "vitest@4.1.12", "@types/node@20.19.43"]);
});

afterAll(() => {
  if (installed) rmSync(path.dirname(installed.dir), { recursive: true, force: true });
});

const packageDir = (name: string) => path.join(installed.dir, "node_modules", ...name.split("/"));
const manifest = (name: string) =>
  JSON.parse(readFileSync(path.join(packageDir(name), "package.json"), "utf8")) as Record<string, unknown>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (entry === "node_modules") return [];
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

const npx = (args: string[], cwd: string) =>
  spawnSync("npx", ["--no-install", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
  });

describe("the packed public packages", () => {
  it("are the seven packages a user installs, buildsim (the CLI) among them", () => {
    expect([...installed.tarballs.keys()].sort()).toEqual([
      "@buildsim/ci-config",
      "@buildsim/client",
      "@buildsim/core",
      "@buildsim/runner",
      "@buildsim/server",
      "@buildsim/testing",
      "buildsim",
    ]);
  });

  it("carry an MIT license, repository, homepage and no workspace: range in their manifests", () => {
    for (const name of installed.tarballs.keys()) {
      const json = manifest(name);
      expect(json.license, name).toBe("MIT");
      expect(json.repository, name).toMatchObject({ type: "git" });
      expect(String(json.homepage), name).toMatch(/^https:\/\//);
      expect(JSON.stringify(json), name).not.toContain("workspace:");
    }
  });

  it("ship a LICENSE and a README, and only source maps whose sources are shipped too", () => {
    for (const name of installed.tarballs.keys()) {
      const dir = packageDir(name);
      expect(readFileSync(path.join(dir, "LICENSE"), "utf8"), name).toContain("MIT License");
      expect(readFileSync(path.join(dir, "README.md"), "utf8").length, name).toBeGreaterThan(200);
      for (const file of filesUnder(dir)) {
        const text = /\.(c|m)?js$|\.d\.(c|m)?ts$/.test(file) ? readFileSync(file, "utf8") : "";
        const ref = /\/\/# sourceMappingURL=(\S+)/.exec(text)?.[1];
        if (!ref) continue;
        const map = path.resolve(path.dirname(file), ref);
        expect(existsSync(map), `${file} → ${ref}`).toBe(true);
        const { sources, sourceRoot = "" } = JSON.parse(readFileSync(map, "utf8")) as {
          sources: string[];
          sourceRoot?: string;
        };
        for (const source of sources) {
          expect(existsSync(path.resolve(path.dirname(map), sourceRoot, source)), `${map} → ${source}`).toBe(
            true,
          );
        }
      }
    }
  });
});

describe("npx buildsim", () => {
  it("prints the package's version", () => {
    const result = npx(["buildsim", "--version"], installed.dir);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe(`buildsim ${manifest("buildsim").version}`);
  });

  it("runs a sample repository's pipeline to success", () => {
    const repo = path.join(installed.dir, "sample");
    mkdirSync(repo);
    writeFileSync(
      path.join(repo, ".gitlab-ci.yml"),
      "stages: [build, test]\nmake:\n  stage: build\n  script: [echo made > made.txt]\n  artifacts: { paths: [made.txt] }\ncheck:\n  stage: test\n  script: [cat made.txt]\n",
    );
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@localhost", ...args], { cwd: repo });
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-qm", "sample");
    const result = npx(["buildsim", "run"], repo);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^check +\| made$/m);
    expect(result.stdout).toMatch(/pipeline success/);
  });
});

describe("an embedding project", () => {
  it("type-checks strictly without skipLibCheck and passes a vitest test of startServer and the client", () => {
    writeFileSync(
      path.join(installed.dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2023"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          noEmit: true,
          types: ["node"],
        },
        include: ["*.ts", "*.cts"],
      }),
    );
    writeFileSync(path.join(installed.dir, "embed.test.ts"), EMBED_TEST);
    writeFileSync(path.join(installed.dir, "double.test.ts"), DOUBLE_TEST);
    writeFileSync(path.join(installed.dir, "require-client.cts"), REQUIRE_CLIENT_TS);
    const tsc = npx(["tsc", "-p", "."], installed.dir);
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
    const vitest = npx(["vitest", "run", "embed.test.ts", "double.test.ts"], installed.dir);
    expect(vitest.status, vitest.stdout + vitest.stderr).toBe(0);
    expect(vitest.stdout.replace(ANSI, "")).toMatch(/Tests\s+4 passed/);
  });

  it("can require() the client from CommonJS", () => {
    writeFileSync(
      path.join(installed.dir, "require-client.cjs"),
      'const { createClient, ClientError } = require("@buildsim/client");\nconsole.log(typeof createClient, typeof ClientError);\n',
    );
    const result = spawnSync(process.execPath, ["require-client.cjs"], {
      cwd: installed.dir,
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("function function");
  });
});

it("uses the workspace's own packages (the tarballs are built from this checkout)", () => {
  expect(existsSync(path.join(WORKSPACE_ROOT, "apps", "cli", "dist", "buildsim.cjs"))).toBe(true);
});

const EMBED_TEST = `import { fileURLToPath } from "node:url";
import { createClient } from "@buildsim/client";
import { type RunningServer, startServer } from "@buildsim/server";
import { afterAll, beforeAll, expect, it } from "vitest";

let server: RunningServer;
beforeAll(async () => {
  const seedFile = fileURLToPath(import.meta.resolve("@buildsim/server/seed-doc.yaml"));
  server = await startServer({ db: ":memory:", seedFile, port: 0 });
});
afterAll(() => server.close());

it("lists the seed's v4 jobs through the client", async () => {
  const client = createClient({ baseUrl: server.url, token: server.token });
  const jobs = await client.v4.jobs.list(1).toArray();
  expect(jobs.map((job) => job.id).sort((a, b) => a - b)).toEqual([6, 7, 8, 9, 69]);
});

it("gets a v3 build through the client", async () => {
  const client = createClient({ baseUrl: server.url, token: server.token });
  const build = await client.v3.builds.get(1, 8);
  expect(build.id).toBe(8);
});
`;

/** @buildsim/testing as its README shows it: a double per file, reset before each test. */
const DOUBLE_TEST = `import { fileURLToPath } from "node:url";
import { useGitLab } from "@buildsim/testing";
import { expect, it } from "vitest";

const gitlab = useGitLab({ seedFile: fileURLToPath(import.meta.resolve("@buildsim/server/seed-doc.yaml")) });

it("journals a retry the test makes", async () => {
  const res = await fetch(\`\${gitlab.url}/api/v4/projects/1/jobs/8/retry\`, {
    method: "POST",
    headers: { "PRIVATE-TOKEN": gitlab.token },
  });
  expect(res.status).toBe(201);
  gitlab.requests.verify(1, { method: "POST", path: "/api/v4/projects/:id/jobs/:job_id/retry" });
});

it("starts the next test from the seed with an empty journal", async () => {
  expect(gitlab.requests.all()).toEqual([]);
  const res = await fetch(\`\${gitlab.url}/api/v4/projects/1/jobs\`, { headers: { "PRIVATE-TOKEN": gitlab.token } });
  expect(((await res.json()) as unknown[]).length).toBe(5);
});
`;

const REQUIRE_CLIENT_TS = `import client = require("@buildsim/client");
export const create: typeof client.createClient = client.createClient;
`;
