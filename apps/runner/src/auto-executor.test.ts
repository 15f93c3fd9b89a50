import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { makeJobPayload } from "../../../packages/client/src/test-support/make-job-payload.js";
import { createAutoExecutor } from "./auto-executor.js";
import type { Executor } from "./executor.js";

const recording = (name: "shell" | "docker", ran: string[]): Executor => ({
  name,
  async run() {
    ran.push(name);
    return { state: "success", exitCode: 0 };
  },
});

function run(executor: Executor, image: string | null) {
  const job = { ...makeJobPayload({ id: 1, script: ["true"] }), image: image ? { name: image } : null };
  return executor.run({ job, trace: () => {}, signal: new AbortController().signal });
}

describe("the auto executor", () => {
  it("runs jobs with an image in Docker when the daemon answers, and jobs without one on the host", async () => {
    const ran: string[] = [];
    const choices: string[] = [];
    const client = { ping: async () => "OK" } as unknown as Docker;
    const auto = createAutoExecutor({
      shell: recording("shell", ran),
      docker: recording("docker", ran),
      client,
      onChoice: (id, name) => choices.push(`${id}:${name}`),
    });
    await run(auto, "alpine:3");
    await run(auto, null);
    expect(ran).toEqual(["docker", "shell"]);
    expect(choices).toEqual(["1:docker", "1:shell"]);
  });

  it("runs every job on the host when no daemon answers", async () => {
    const ran: string[] = [];
    const client = { ping: async () => Promise.reject(new Error("connect ENOENT")) } as unknown as Docker;
    const auto = createAutoExecutor({
      shell: recording("shell", ran),
      docker: recording("docker", ran),
      client,
    });
    await run(auto, "alpine:3");
    expect(ran).toEqual(["shell"]);
  });
});
