// `fediblock-sync`: the sync client on its own, bundled by scripts/build-sync-bundle.mjs into
// dist/fediblock-sync.mjs, one file that needs nothing but Node (docs/sync.md, "Installing the
// sync client"). It takes `fediblock sync`'s options, with or without a leading `sync`.
import { Command } from "commander";
import { registerSyncCommand } from "../cli/sync.js";

/** Replaced by the bundler with package.json's version; "development" when run from sources. */
declare const FEDIBLOCK_SYNC_VERSION: string | undefined;
const version = typeof FEDIBLOCK_SYNC_VERSION === "string" ? FEDIBLOCK_SYNC_VERSION : "development";

/** The arguments as `fediblock sync` reads them: a leading `sync` is optional. */
export function syncArguments(argv: readonly string[]): string[] {
  const [first, ...rest] = argv;
  if (first === "--version" || first === "-V") return [first];
  return first === "sync" ? ["sync", ...rest] : ["sync", ...argv];
}

const program = new Command("fediblock-sync")
  .description("Apply a Fediblock Commons list server's blocklists onto your fediverse server.")
  .version(`fediblock-sync ${version}`);
registerSyncCommand(program);
await program.parseAsync(syncArguments(process.argv.slice(2)), { from: "user" });
