// A TCP proxy between a runner and the server that loses the first server→runner packet holding a
// `job` answer and cuts both sides right after it (a link blip at the worst moment); later
// connections pass through untouched.

import { createServer, type Server, Socket } from "node:net";

/** A listening proxy; `url` is its `http://127.0.0.1:port`, `dropped` how many job answers it lost. */
export interface FrameDroppingProxy {
  url: string;
  dropped: () => number;
  close: () => Promise<void>;
}

/** Proxies to `target` (`http://host:port`), dropping the first `job` frame. */
export function startFrameDroppingProxy(target: string): Promise<FrameDroppingProxy> {
  const { hostname, port } = new URL(target);
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client);
    sockets.add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.connect(Number(port), hostname);
    client.on("data", (d: Buffer) => upstream.write(d));
    upstream.on("data", (d: Buffer) => {
      // The server writes each message in one frame and `type` first: the bytes are in one packet.
      if (dropped === 0 && d.includes('"type":"job"')) {
        dropped++;
        cut();
        return;
      }
      client.write(d);
    });
    client.on("close", cut);
    upstream.on("close", cut);
    client.on("error", () => {});
    upstream.on("error", () => {});
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        dropped: () => dropped,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
