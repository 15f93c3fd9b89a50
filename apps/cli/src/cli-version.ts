// The `buildsim` package's version, read from its package.json (beside dist/, also from the bundle).

import { createRequire } from "node:module";

/** The installed `buildsim` package's version, as `buildsim --version` prints it. */
export const CLI_VERSION: string = createRequire(import.meta.url)("../package.json").version;
