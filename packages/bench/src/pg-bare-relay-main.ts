// Child process entry: the floor of the cross-server latency benchmark on PostgreSQL. The least a server
// can do to deliver a runner's trace line to watchers on another server only after PostgreSQL committed
// it: one autocommitted statement stores the chunk and NOTIFYs the runner's message (PostgreSQL delivers
// it at the commit), then the runner is acknowledged; the watchers' process LISTENs and relays each
// notification's text unchanged. No store, no caches, no second statement: what is left is PostgreSQL's
// round trip and notification, and how this machine schedules the processes.
//
// argv: a postgres:// URL (no `?schema=`), the role (`source`: the runner's side, `sink`: the watchers',
// `both`: one process), and a table name of this run's own (also the NOTIFY channel). Prints `{url}` once
// it listens (a sink, once its LISTEN is in place).

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { type WebSocket, WebSocketServer } from "ws";
import { answerCpuSignals } from "./cpu-signals.js";

const [url = "", role = "both", table = "bare_relay"] = process.argv.slice(2);
if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`bad table name ${table}`);

const connections: pg.Client[] = [];
async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  connections.push(client);
  return client;
}

const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
const watchers = new Set<WebSocket>();

if (role !== "sink") {
  const writer = await connect();
  await writer.query(
    `CREATE TABLE IF NOT EXISTS ${table} (build_id bigint, "offset" bigint, data bytea, PRIMARY KEY (build_id, "offset"))`,
  );
  // The chunk and its notification in one statement: the NOTIFY goes out only if the row was inserted.
  const store = `WITH stored AS (INSERT INTO ${table} (build_id, "offset", data) VALUES ($1, $2, $3) RETURNING 1)
    SELECT pg_notify('${table}', $4) FROM stored`;
  wss.on("connection", (socket, req) => {
    if (req.url?.startsWith("/watch")) return;
    socket.on("message", (data) => {
      const text = data.toString();
      const m = JSON.parse(text) as { buildId: number; offset: number; data: string };
      writer
        .query({
          name: "store",
          text: store,
          values: [m.buildId, m.offset, Buffer.from(m.data, "base64"), text],
        })
        .then(
          () => socket.send('{"type":"traceAck"}'),
          (e: unknown) => process.stderr.write(`bare relay: ${String(e)}\n`),
        );
    });
  });
}
if (role !== "source") {
  const listener = await connect();
  listener.on("notification", (n) => {
    for (const w of watchers) w.send(n.payload ?? "", { binary: false });
  });
  await listener.query(`LISTEN ${table}`);
  wss.on("connection", (socket, req) => {
    if (!req.url?.startsWith("/watch")) return;
    watchers.add(socket);
    socket.on("close", () => watchers.delete(socket));
  });
}

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`,
  );
});
answerCpuSignals(async () => {
  await Promise.all(connections.map((c) => c.end().catch(() => {})));
});
