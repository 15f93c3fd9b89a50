// Child process entry: the baseline for the fan-out benchmark. A bare `ws` server that relays every
// message from a `/source` socket, unchanged, to every `/watch` socket. Prints `{url}` once it listens.

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { answerCpuSignals } from "./cpu-signals.js";

const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
const watchers = new Set<WebSocket>();
wss.on("connection", (socket, req) => {
  if (req.url?.startsWith("/watch")) {
    watchers.add(socket);
    socket.on("close", () => watchers.delete(socket));
    return;
  }
  socket.on("message", (data) => {
    // The same flow control as buildsim's runner protocol: one ack per message, sent first.
    socket.send('{"type":"traceAck"}');
    // Relayed as received: the same bytes as a text frame, never converted.
    for (const w of watchers) w.send(data, { binary: false });
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`,
  );
});
answerCpuSignals(async () => {});
