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

  it("runs a transaction that another's deferred work starts as a transaction of its own, with its own result", () => {
    // Every transaction goes through one wrapper (create-store.ts): the one started after the first
    // committed must run its own body, and return its own result, not the first's.
    const store = createStore({ memory: true });
    try {
      const before = store.version;
      let inner: string | undefined;
      const outer = store.transaction(() => {
        store.onCommit(() => {
          inner = store.transaction(() => {
            store.settings.set("b", "2");
            return `inner saw a=${store.settings.get("a")}`;
          });
        });
        store.settings.set("a", "1");
        return "outer";
      });
      expect(outer).toBe("outer");
      expect(inner).toBe("inner saw a=1");
      expect(store.settings.get("b")).toBe("2");
      expect(store.version).toBe(before + 2);
    } finally {
      store.close();
    }
  });
});
