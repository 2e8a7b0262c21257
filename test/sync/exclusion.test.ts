// A subscription's `exclude`, end to end: the real service in-process serves the merged feed of
// a subscription that excludes a domain, and `fediblock sync` applies it to the fake Mastodon.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createList } from "../../server/lists/lists.service.js";
import { startFakeMastodon, type FakeMastodon } from "../fakes/mastodon.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, type Member } from "../support/members.js";
import { seedEntries } from "../support/seed.js";
import { syncFromService } from "./harness.js";

let app: TestApp;
let subscriber: Member;
let mastodon: FakeMastodon;
let stateDir: string;

beforeAll(async () => {
  app = await startTestApp();
  await createList(app.ctx, "system", { slug: "shared", name: "Shared" });
  await seedEntries(app.ctx, "shared", [
    { domain: "excluded.example", severity: "suspend", publicComment: "spam" },
    { domain: "kept.example", severity: "suspend", publicComment: "harassment" },
    { domain: "quiet.example", severity: "silence" },
  ]);
  subscriber = await addMember(app, "sam", "sam.example");
  mastodon = await startFakeMastodon();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "fediblock-exclude-"));
});

afterAll(async () => {
  await mastodon?.close();
  await app?.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const sync = (force: boolean) =>
  syncFromService({ server: app.url, token: subscriber.token, target: mastodon, stateDir, force });

test("a domain the subscription excludes is never POSTed to Mastodon; the others are", async () => {
  const subscribed = await subscriber.api.post("/api/v1/subscriptions", {
    list: "shared",
    exclude: ["excluded.example"],
  });
  expect(subscribed.status).toBe(201);
  expect(subscribed.body.exclude).toEqual(["excluded.example"]);

  const first = await sync(true);
  expect(first.code).toBe(0);
  expect(first.report.feed).toEqual({ entries: 2, usable: 2, source: "fetched" });
  const posted = mastodon.requests
    .filter((request) => request.method === "POST")
    .map((request) => [request.body.domain, request.body.severity, request.status]);
  expect(posted).toEqual([
    ["kept.example", "suspend", 200],
    ["quiet.example", "silence", 200],
  ]);
  expect(mastodon.blocks().map((block) => [block.domain, block.public_comment])).toEqual([
    ["kept.example", "harassment"],
    ["quiet.example", ""],
  ]);

  mastodon.clearLog();
  const second = await sync(false);
  expect(second.code).toBe(0);
  expect(second.report.outcome).toBe("up_to_date");
  expect(mastodon.writeRequests()).toEqual([]);
  expect(mastodon.requests.some((request) => request.body.domain === "excluded.example")).toBe(
    false,
  );
});

test("an instance that subscribes to nothing is told so, not just shown an empty feed", async () => {
  const lonely = await addMember(app, "lou", "lou.example");
  const lonelyState = fs.mkdtempSync(path.join(os.tmpdir(), "fediblock-lonely-"));
  const lonelyTarget = await startFakeMastodon();
  try {
    const run = () =>
      syncFromService({
        server: app.url,
        token: lonely.token,
        target: lonelyTarget,
        stateDir: lonelyState,
        force: false,
      });
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.report.feed).toEqual({ entries: 0, usable: 0, source: "fetched" });
    expect(first.report.warnings).toContainEqual(
      expect.stringContaining("your instance subscribes to no list on 127.0.0.1"),
    );
    // Also when the list server answers 304 and the copy is used.
    const again = await run();
    expect(again.report.feed?.source).toBe("cached");
    expect(again.report.warnings).toContainEqual(expect.stringContaining("subscribes to no list"));
    // The subscriber of a list is not warned.
    const subscribed = await sync(false);
    expect(subscribed.report.warnings.join("\n")).not.toContain("subscribes to no list");
  } finally {
    await lonelyTarget.close();
    fs.rmSync(lonelyState, { recursive: true, force: true });
  }
});
