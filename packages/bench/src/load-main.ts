// Child process entry: runs one load run from a JSON argument and prints the result as one JSON line.

import { type LoadOptions, runLoad } from "./load-generator.js";

const options = JSON.parse(process.argv[2] ?? "{}") as LoadOptions;
runLoad(options).then((result) => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
});
