// Where the web UI build ships: `ui/` beside this module (dist/ui in the package, dist/ui beside the CLI bundle).

import { fileURLToPath } from "node:url";

/** The default web UI directory, resolved next to the compiled module (or bundle) that holds this code. */
export const DEFAULT_WEB_UI_DIR = fileURLToPath(new URL("./ui/", import.meta.url));
