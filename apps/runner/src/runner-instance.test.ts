import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  createRunnerInstance,
  HOST_LABEL,
  INSTANCE_LABEL,
  isInstanceDirGone,
  isInstanceGone,
} from "./runner-instance.js";

// Two runner processes may share a token (GitLab lets several runners register with one); each must only
// ever remove what it made, and a starting one removes what dead ones left.
const self = createRunnerInstance("key");
/** A pid that no longer runs: a child that has exited and been reaped. */
const deadPid = spawnSync(process.execPath, ["-e", ""]).pid!;

describe("runner instances", () => {
  it("are named by pid and a random part, differently in every process and every call", () => {
    expect(self.id).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{6}$`));
    expect(createRunnerInstance("key").id).not.toBe(self.id);
  });

  it("judge a labelled thing gone only when its process on this host no longer runs", () => {
    const labels = (id: string, host = self.host) => ({ [INSTANCE_LABEL]: id, [HOST_LABEL]: host });
    expect(isInstanceGone(labels(self.id), self)).toBe(false);
    expect(isInstanceGone(labels(`${process.ppid}-abcdef`), self)).toBe(false);
    expect(isInstanceGone(labels(`${deadPid}-abcdef`), self)).toBe(true);
    // Another host's process cannot be seen from here: never judged gone.
    expect(isInstanceGone(labels(`${deadPid}-abcdef`, "elsewhere"), self)).toBe(false);
    // An earlier life whose pid this process now has is gone; so is a thing of an older buildsim (no label).
    expect(isInstanceGone(labels(`${process.pid}-000000`), self)).toBe(true);
    expect(isInstanceGone({}, self)).toBe(true);
  });

  it("judge build directories the same way, and any other directory of the runner gone", () => {
    expect(isInstanceDirGone(self.id, self)).toBe(false);
    expect(isInstanceDirGone(`${process.ppid}-abcdef`, self)).toBe(false);
    expect(isInstanceDirGone(`${deadPid}-abcdef`, self)).toBe(true);
    expect(isInstanceDirGone("build-7-XyZ123", self)).toBe(true);
  });
});
