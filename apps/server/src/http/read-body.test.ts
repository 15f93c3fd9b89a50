import type { IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ApiError } from "./api-error.js";
import { bodyParams, readBody } from "./read-body.js";

function fakeRequest(headers: Record<string, string>): PassThrough & { headers: Record<string, string> } {
  return Object.assign(new PassThrough(), { headers });
}

describe("readBody", () => {
  it("reads a body up to the limit", async () => {
    const req = fakeRequest({ "content-length": "5" });
    const body = readBody(req as unknown as IncomingMessage, 10);
    req.end("hello");
    expect((await body).toString()).toBe("hello");
  });

  it("rejects with 413 when the declared length is over the limit, without reading", async () => {
    const req = fakeRequest({ "content-length": "11" });
    await expect(readBody(req as unknown as IncomingMessage, 10)).rejects.toMatchObject({ status: 413 });
  });

  it("rejects with 413 when a chunked body grows past the limit", async () => {
    const req = fakeRequest({ "transfer-encoding": "chunked" });
    const body = readBody(req as unknown as IncomingMessage, 10);
    req.write("123456");
    req.end("789012");
    await expect(body).rejects.toMatchObject({ status: 413 });
  });

  it("rejects with a 400 ApiError, not an unexpected error, when the client goes away mid-body", async () => {
    const req = fakeRequest({ "content-length": "100" });
    const body = readBody(req as unknown as IncomingMessage, 1000);
    req.write("{");
    req.destroy();
    const error = await body.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
  });
});

describe("bodyParams", () => {
  it("turns a JSON object into string params", () => {
    expect(
      bodyParams(
        Buffer.from('{"page":2,"scope":["a"],"x":null,"b":true}'),
        "application/json; charset=utf-8",
      ),
    ).toEqual({
      page: "2",
      scope: ["a"],
      b: "true",
    });
  });

  it("ignores JSON that is not an object, and bodies of other types", () => {
    expect(bodyParams(Buffer.from("[1]"), "application/json")).toEqual({});
    expect(bodyParams(Buffer.from("a=1"), "text/plain")).toEqual({});
  });

  it("parses urlencoded forms", () => {
    expect(bodyParams(Buffer.from("scope[]=a&page=3"), "application/x-www-form-urlencoded")).toEqual({
      scope: ["a"],
      page: "3",
    });
  });
});
