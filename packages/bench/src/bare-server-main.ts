// Child process entry: a bare node:http server answering every request with one recorded response
// (same status, headers and bytes as buildsim's), the baseline of the API benchmark.

import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { answerCpuQueries } from "./report-cpu.js";

interface Recorded {
  status: number;
  headers: string[];
  bodyBase64: string;
}

const recorded = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as Recorded;
const body = Buffer.from(recorded.bodyBase64, "base64");
const headers = [...recorded.headers, "Content-Length", String(body.byteLength)];

const server = createServer({ keepAliveTimeout: 5000 }, (_req, res) => {
  res.writeHead(recorded.status, headers);
  res.end(body);
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
answerCpuQueries();
process.on("SIGTERM", () => server.close(() => process.exit(0)));
