import { describe, expect, it } from "vitest";
import { jsonReply } from "./reply.js";
import { ResponseCache } from "./response-cache.js";

describe("ResponseCache", () => {
  it("renders once per host and key until the version moves", () => {
    let version = 1;
    let renders = 0;
    const cache = new ResponseCache(() => version);
    const render = () => {
      renders++;
      return jsonReply(200, { renders });
    };
    const first = cache.get("h", "/a", render);
    expect(cache.get("h", "/a", render)).toBe(first);
    cache.get("other-host", "/a", render);
    expect(renders).toBe(2);
    version = 2;
    expect(cache.get("h", "/a", render)).not.toBe(first);
    expect(renders).toBe(3);
  });

  it("re-renders a reply once it is past its validUntilMs", () => {
    let nowMs = 1000;
    let renders = 0;
    const cache = new ResponseCache(
      () => 1,
      () => nowMs,
    );
    const render = () => {
      renders++;
      return { ...jsonReply(200, renders), validUntilMs: 2000 };
    };
    cache.get("h", "/a", render);
    nowMs = 1999;
    cache.get("h", "/a", render);
    expect(renders).toBe(1);
    nowMs = 2000;
    cache.get("h", "/a", render);
    expect(renders).toBe(2);
  });

  it("does not keep error replies", () => {
    let renders = 0;
    const cache = new ResponseCache(() => 1);
    const render = () => {
      renders++;
      return jsonReply(404, { message: "404 Not Found" });
    };
    cache.get("h", "/a", render);
    cache.get("h", "/a", render);
    expect(renders).toBe(2);
  });

  it("starts over past its byte budget", () => {
    let renders = 0;
    const cache = new ResponseCache(
      () => 1,
      () => 0,
      100,
      25,
    );
    const render = () => {
      renders++;
      return jsonReply(200, "x".repeat(10));
    };
    cache.get("h", "/a", render);
    cache.get("h", "/b", render);
    cache.get("h", "/c", render); // over 25 bytes: the cache is emptied and keeps only /c
    cache.get("h", "/c", render);
    cache.get("h", "/a", render);
    expect(renders).toBe(4);
  });
});
