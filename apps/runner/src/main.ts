#!/usr/bin/env node
// Entry point of the runner as its own process: `node apps/runner/dist/main.js --url … --token …`.

import { runRunnerCli } from "./run-runner-cli.js";

process.exit(await runRunnerCli(process.argv.slice(2)));
