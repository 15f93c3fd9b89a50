// watchProjectEvents against a scripted events socket: `connected` on every (re)connect, the events in
// order, reconnecting after a drop (1001) and failing with the close's error for 4401.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CLOSE_CODES, EVENTS_WS_PATH } from "@buildsim/core";
import { afterEach, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { createClient } from "./create-client.js";
import type { ProjectEvent } from "./watch-project-events.js";

let http: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  http = undefined;
});

/** A server whose n-th connection is handed to `script[n]`; records each upgrade's URL and token. */
async function scriptedServer(script: ((ws: WebSocket) => void)[]) {
  const seen: { url: string; token: string | undefined }[] = [];
  const wss = new WebSocketServer({ noServer: true });
  http = createServer();
  http.on("upgrade", (req, socket, head) => {
    seen.push({ url: req.url ?? "", token: req.headers["private-token"] as string | undefined });
    wss.handleUpgrade(req, socket, head, (ws) => script[seen.length - 1]?.(ws));
  });
  await new Promise<void>((resolve) => http!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, seen };
}

describe("watchProjectEvents", () => {
  it("yields connected, then events; after a drop it reconnects and yields connected again", async () => {
    const { url, seen } = await scriptedServer([
      (ws) => {
        ws.send(JSON.stringify({ type: "job", id: 7, pipeline_id: 3, status: "running" }));
        ws.close(CLOSE_CODES.GOING_AWAY);
      },
      (ws) => ws.send(JSON.stringify({ type: "pipeline", id: 3, status: "success" })),
    ]);
    const client = createClient({ baseUrl: url, token: "secret", sleep: async () => {} });
    const controller = new AbortController();
    const events: ProjectEvent[] = [];
    await expect(
      (async () => {
        for await (const event of client.watchProjectEvents("group/app", { signal: controller.signal })) {
          events.push(event);
          if (events.length === 4) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: "aborted" });
    expect(events).toEqual([
      { type: "connected" },
      { type: "job", id: 7, pipeline_id: 3, status: "running" },
      { type: "connected" },
      { type: "pipeline", id: 3, status: "success" },
    ]);
    expect(seen[0]).toEqual({ url: `${EVENTS_WS_PATH}?project=group%2Fapp`, token: "secret" });
  });

  // A refused watcher gets GitLab's HTTP 403/404 on the upgrade; once open, only core's CLOSE_CODE_TABLE
  // codes that stop (4401, 4000, 4426) are errors.
  it("fails with unauthorized when the server closes with 4401", async () => {
    const { url } = await scriptedServer([(ws) => ws.close(CLOSE_CODES.UNAUTHORIZED, "401 Unauthorized")]);
    const client = createClient({ baseUrl: url, token: "t", sleep: async () => {} });
    const events: ProjectEvent[] = [];
    await expect(
      (async () => {
        for await (const event of client.watchProjectEvents(1)) events.push(event);
      })(),
    ).rejects.toMatchObject({ code: "unauthorized", message: "401 Unauthorized" });
    expect(events).toEqual([{ type: "connected" }]);
  });
});
