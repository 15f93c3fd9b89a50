import { describe, expect, it } from "vitest";
import { parseCommitLog, withMilliseconds } from "./git-source.js";

describe("reading git's commit log", () => {
  it("adds milliseconds only where git left them out", () => {
    expect(withMilliseconds("2015-12-24T16:51:14+01:00")).toBe("2015-12-24T16:51:14.000+01:00");
    expect(withMilliseconds("2015-12-24T16:51:14.123Z")).toBe("2015-12-24T16:51:14.123Z");
  });

  it("reads a commit as GitLab stores it, dates in the commit's own timezone", () => {
    const out = [
      "a".repeat(40),
      `${"b".repeat(40)} ${"c".repeat(40)}`,
      "Ada",
      "ada@x",
      "2015-12-24T16:51:14+01:00",
      "Bo",
      "bo@x",
      "2015-12-25T10:00:00Z",
      "Title\n\nBody\n\n",
    ].join("\0");
    expect(parseCommitLog(7, `${out}\n`)).toEqual({
      projectId: 7,
      sha: "a".repeat(40),
      message: "Title\n\nBody\n",
      authorName: "Ada",
      authorEmail: "ada@x",
      authoredDate: "2015-12-24T16:51:14.000+01:00",
      committerName: "Bo",
      committerEmail: "bo@x",
      committedDate: "2015-12-25T10:00:00.000Z",
      parentIds: ["b".repeat(40), "c".repeat(40)],
    });
  });
});
