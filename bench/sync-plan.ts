// Benchmark (SPEC §9): planning a sync of 20,000 desired against 20,000 existing blocks takes
// under 1 s of CPU, and a full run makes the minimum number of target API calls: one page per
// 200 blocks, one call per change.
//
//   npx tsx bench/sync-plan.ts [size=20000]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { parseFeed } from "../server/sync/feed.js";
import { createMarkerKey } from "../server/sync/marker-key.js";
import { planSync } from "../server/sync/plan.js";
import { runSync } from "../server/sync/run.js";
import { feedEntry, FEED_TOKEN, startFakeFeed } from "../test/fakes/feed.js";
import { MASTODON_ADMIN_TOKEN, startFakeMastodon } from "../test/fakes/mastodon.js";
import { syncFixture } from "./sync/fixture.js";

const SIZE = Number(process.argv[2] ?? 20_000);
const CPU_BUDGET_MS = 1_000;
const PAGE_SIZE = 200;
const SERVER_HOST = "lists.example.org";

function cpuMs<T>(work: () => T): { ms: number; result: T } {
  const before = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, result };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function countApiCalls(): Promise<{
  reads: number;
  writes: number;
  pages: number;
  instance: number;
}> {
  const feed = await startFakeFeed();
  const mastodon = await startFakeMastodon();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "fediblock-bench-"));
  try {
    const server = new URL(feed.url);
    const { key, file: markerKeyFile } = createMarkerKey(stateDir);
    const targetHost = new URL(mastodon.url).host;
    const fixture = syncFixture(SIZE, { key, targetHost, serverHost: server.host });
    feed.setEntries(fixture.desired.map(({ domain, ...fields }) => feedEntry(domain, fields)));
    for (const block of fixture.existing) {
      const { id: _id, ...input } = block;
      mastodon.seed(input);
    }
    let out = "";
    const exitCode = await runSync(
      {
        server,
        token: FEED_TOKEN,
        target: "mastodon",
        targetUrl: new URL(mastodon.url),
        targetToken: MASTODON_ADMIN_TOKEN,
        dryRun: false,
        deleteRetracted: true,
        maxChanges: undefined,
        force: true,
        stateDir,
        json: true,
        markerKeyFile,
      },
      { stdout: (text) => (out += text), stderr: () => {} },
    );
    const report = JSON.parse(out) as { results: { applied: number } };
    const expectedChanges =
      fixture.expected.create + fixture.expected.update + fixture.expected.delete;
    if (exitCode !== 0 || report.results.applied !== expectedChanges) {
      throw new Error(
        `the full run did not apply the plan (exit ${exitCode}): ${out.slice(0, 500)}`,
      );
    }
    const requests = mastodon.requests;
    return {
      pages: requests.filter((r) => r.method === "GET" && r.path === "/api/v1/admin/domain_blocks")
        .length,
      instance: requests.filter((r) => r.path === "/api/v1/instance").length,
      reads: requests.filter((r) => r.method === "GET").length,
      writes: mastodon.writeRequests().length,
    };
  } finally {
    await Promise.all([feed.close(), mastodon.close()]);
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

const marker = { key: randomBytes(32), targetHost: "mastodon.example", serverHost: SERVER_HOST };
const fixture = syncFixture(SIZE, marker);
const context = {
  serverHost: SERVER_HOST,
  marker,
  protectedDomains: ["mastodon.example"],
  deleteRetracted: true,
};
const feedBody = JSON.stringify(
  fixture.desired.map(({ domain, ...fields }) => feedEntry(domain, fields)),
);

const cold = cpuMs(() => planSync(fixture.desired, fixture.existing, context));
const { counts } = cold.result;
const { expected } = fixture;
if (
  counts.create !== expected.create ||
  counts.update !== expected.update ||
  counts.delete !== expected.delete ||
  counts.unchanged !== expected.unchanged
) {
  throw new Error(
    `planSync planned ${JSON.stringify(counts)}, expected ${JSON.stringify(expected)}`,
  );
}
const warm = median(
  Array.from(
    { length: 5 },
    () => cpuMs(() => planSync(fixture.desired, fixture.existing, context)).ms,
  ),
);
const parse = cpuMs(() => parseFeed(feedBody));
const calls = await countApiCalls();

const minimumPages = Math.floor(SIZE / PAGE_SIZE) + 1;
const changes = expected.create + expected.update + expected.delete;
console.log(`sync plan benchmark: ${SIZE} desired against ${SIZE} existing blocks`);
console.log(
  `  mix: ${expected.unchanged} unchanged, ${expected.update} changed, ${expected.create} new, ${expected.delete} retracted, ${SIZE / 10} hand-made`,
);
console.log(
  `  planSync CPU: ${cold.ms.toFixed(0)} ms cold, ${warm.toFixed(0)} ms warm (median of 5); budget ${CPU_BUDGET_MS} ms`,
);
console.log(
  `  parseFeed CPU (${(feedBody.length / 1e6).toFixed(1)} MB of JSON): ${parse.ms.toFixed(0)} ms`,
);
console.log(
  `  target API calls of a full run: ${calls.pages} pages + ${calls.instance} instance read + ${calls.writes} writes`,
);
console.log(
  `  minimum: ${minimumPages} pages (${SIZE} / ${PAGE_SIZE}, + 1 empty page after a full last one) + ${changes} writes`,
);

const ok =
  cold.ms + parse.ms < CPU_BUDGET_MS && calls.pages === minimumPages && calls.writes === changes;
console.log(ok ? "  PASS" : "  FAIL");
process.exitCode = ok ? 0 : 1;
