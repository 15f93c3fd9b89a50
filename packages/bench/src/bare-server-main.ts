// Child process entry: a bare node:http server answering each request from a precomputed map of recorded
// responses (same status, headers and bytes as buildsim's, keyed by `METHOD url`, `*` for any other),
// the baseline of the API benchmarks.

import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { RecordedResponses } from "./record-responses.js";
import { answerCpuQueries } from "./report-cpu.js";

const recorded = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as RecordedResponses;
const answers = new Map(
  Object.entries(recorded).map(([key, r]) => {
    const body = Buffer.from(r.bodyBase64, "base64");
    return [
      key,
      { status: r.status, headers: [...r.headers, "Content-Length", String(body.byteLength)], body },
    ];
  }),
);
const fallback = answers.get("*");

const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
  const answer = answers.get(`${req.method} ${req.url}`) ?? fallback;
  if (!answer) {
    res.writeHead(404, ["Content-Length", "0"]);
    res.end();
    return;
  }
  req.resume();
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
answerCpuQueries();
process.on("SIGTERM", () => server.close(() => process.exit(0)));
