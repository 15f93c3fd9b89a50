// Copies the web UI build (apps/web/dist) into this package as dist/ui, so `buildsim serve` serves it
// with nothing more installed. Without a UI build the server simply serves the API alone.
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const serverDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const source = path.join(serverDir, "..", "web", "dist");
const target = path.join(serverDir, "dist", "ui");
rmSync(target, { recursive: true, force: true });
if (existsSync(path.join(source, "index.html"))) cpSync(source, target, { recursive: true });
else console.warn(`copy-web-ui: no UI build at ${source}; the server will serve the API only`);
