#!/usr/bin/env node
// The `fediblock` command. It runs the compiled code in dist/ (built by `npm ci`, `npm run
// build` and `npm start`), which keeps `fediblock sync` quick to start from cron.
import { existsSync } from "node:fs";

const entry = new URL("../dist/server/cli/index.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("fediblock: the code is not built yet: run `npm run build` in the checkout.");
  process.exit(2);
}
await import(entry.href);
