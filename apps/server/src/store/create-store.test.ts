import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createStore } from "./create-store.js";

describe("createStore", () => {
  it("keeps an in-memory store's artifacts in a temp dir that close removes", () => {
    const store = createStore({ memory: true });
    const dir = store.artifacts.dir;
    expect(existsSync(dir)).toBe(true);
    store.close();
    expect(existsSync(dir)).toBe(false);
  });

  it("bumps the version on commit only, and runs deferred work after the commit", () => {
    const store = createStore({ memory: true });
    try {
      const ran: string[] = [];
      const before = store.version;
      expect(() =>
        store.transaction(() => {
          store.onCommit(() => ran.push("rolled back"));
          store.settings.set("k", "v");
          throw new Error("nope");
        }),
      ).toThrow("nope");
      expect(store.version).toBe(before);
      expect(store.settings.get("k")).toBeUndefined();
      store.transaction(() => {
        store.onCommit(() => ran.push(`committed, k=${store.settings.get("k")}`));
        store.settings.set("k", "v");
      });
      expect(store.version).toBe(before + 1);
      expect(ran).toEqual(["committed, k=v"]);
    } finally {
      store.close();
    }
  });
});
