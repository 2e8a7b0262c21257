// Benchmark (SPEC §9): `fediblock sync --help` and a no-op sync start in under 300 ms of
// process time (user + system CPU of the whole node process, Node's own start-up included).
//
//   npx tsx bench/sync-startup.ts [entry.js] [--blocks N]
// The entry defaults to dist/server/cli/index.js, the compiled `fediblock` (npm run build);
// dist/fediblock-sync.mjs measures the single-file sync client the same way.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runSync } from "../server/sync/run.js";
import { FEED_TOKEN, feedEntry, startFakeFeed } from "../test/fakes/feed.js";
import { MASTODON_ADMIN_TOKEN, startFakeMastodon } from "../test/fakes/mastodon.js";
import { medianProcessTime } from "./sync/process-time.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BUDGET_MS = 300;
const RUNS = 11;

const args = process.argv.slice(2);
const blocksFlag = args.indexOf("--blocks");
const blocks = blocksFlag === -1 ? 200 : Number(args.splice(blocksFlag, 2)[1]);
const built = path.join(ROOT, "dist/server/cli/index.js");
const entry = args[0] ? path.resolve(args[0]) : built;
if (!fs.existsSync(entry)) {
  console.error(`${path.relative(ROOT, entry)} is missing: run \`npm run build\` first.`);
  process.exit(2);
}

/** Fakes holding `blocks` blocks that already match the feed, so the measured sync changes nothing. */
async function noOpSetting() {
  const feed = await startFakeFeed(
    Array.from({ length: blocks }, (_, i) => feedEntry(`blocked${i}.example`)),
  );
  const mastodon = await startFakeMastodon();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "fediblock-bench-state-"));
  const options = {
    server: new URL(feed.url),
    token: FEED_TOKEN,
    target: "mastodon" as const,
    targetUrl: new URL(mastodon.url),
    targetToken: MASTODON_ADMIN_TOKEN,
    dryRun: false,
    deleteRetracted: true,
    maxChanges: undefined,
    force: true,
    stateDir,
    json: true,
  };
  const prepared = await runSync(options, { stdout: () => {}, stderr: () => {} });
  if (prepared !== 0) throw new Error(`preparing the no-op sync failed with exit ${prepared}`);
  mastodon.clearLog();
  const env = {
    ...process.env,
    FEDIBLOCK_SERVER: feed.url,
    FEDIBLOCK_TOKEN: FEED_TOKEN,
    FEDIBLOCK_TARGET: "mastodon",
    FEDIBLOCK_TARGET_URL: mastodon.url,
    FEDIBLOCK_TARGET_TOKEN: MASTODON_ADMIN_TOKEN,
    FEDIBLOCK_STATE: stateDir,
  };
  const close = async () => {
    await Promise.all([feed.close(), mastodon.close()]);
    fs.rmSync(stateDir, { recursive: true, force: true });
  };
  return { env, mastodon, close };
}

const help = await medianProcessTime([process.execPath, entry, "sync", "--help"], RUNS);
const bare = await medianProcessTime([process.execPath, "-e", ""], RUNS);
const setting = await noOpSetting();
const noOp = await medianProcessTime([process.execPath, entry, "sync"], RUNS, setting.env);
const writes = setting.mastodon.writeRequests().length;
await setting.close();

const measured = path.relative(ROOT, entry);
console.log(`sync start-up benchmark: ${measured}, node ${process.version}`);
console.log(`  node -e "" (Node itself):        ${bare.medianMs.toFixed(0)} ms median CPU`);
console.log(
  `  fediblock sync --help:           ${help.medianMs.toFixed(0)} ms median CPU (min ${help.minMs.toFixed(0)}), exit ${help.exitCodes.join("/")}`,
);
console.log(
  `  no-op sync (${blocks} blocks, 304): ${noOp.medianMs.toFixed(0)} ms median CPU (min ${noOp.minMs.toFixed(0)}), exit ${noOp.exitCodes.join("/")}, ${writes} writes`,
);
console.log(`  budget: ${BUDGET_MS} ms each, ${RUNS} runs`);

const ok =
  help.medianMs < BUDGET_MS &&
  noOp.medianMs < BUDGET_MS &&
  help.exitCodes.join() === "0" &&
  noOp.exitCodes.join() === "0" &&
  writes === 0;
console.log(ok ? "  PASS" : "  FAIL");
process.exitCode = ok ? 0 : 1;
