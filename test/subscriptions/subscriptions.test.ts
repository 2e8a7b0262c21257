// Subscriptions and the merged feed (SPEC §2, §3), and the whole loop: a list's outcome reaches
// a subscriber's Mastodon through `fediblock sync`, retractions included.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createList } from "../../server/lists/lists.service.js";
import { startFakeMastodon } from "../fakes/mastodon.js";
import { addAccount, startTestApp, type TestApp } from "../support/app.js";
import { addMember, type Member } from "../support/members.js";
import { seedEntries } from "../support/seed.js";
import { syncFromService } from "../sync/harness.js";

let app: TestApp;
let member: Member, other: Member;

beforeAll(async () => {
  app = await startTestApp();
  member = await addMember(app, "mia", "m.example");
  other = await addMember(app, "oscar", "o.example");
  await createList(app.ctx, "system", { slug: "alpha", name: "Alpha" });
  await createList(app.ctx, "system", { slug: "beta", name: "Beta", visibility: "members" });
  await seedEntries(app.ctx, "alpha", [
    { domain: "both.example", severity: "silence", publicComment: "alpha says silence" },
    { domain: "flags.example", severity: "silence", rejectMedia: true },
    { domain: "only-alpha.example", severity: "suspend", tags: ["spam"] },
    { domain: "mild.example", severity: "noop", rejectReports: true },
  ]);
  await seedEntries(app.ctx, "beta", [
    { domain: "both.example", severity: "suspend", publicComment: "beta says suspend" },
    { domain: "flags.example", severity: "silence", rejectMedia: true, rejectReports: true },
    { domain: "excluded.example", severity: "suspend" },
  ]);
});
afterAll(() => app.close());

describe("subscriptions", () => {
  test("subscribe, list, change and unsubscribe; each instance sees only its own", async () => {
    const created = await member.api.post("/api/v1/subscriptions", { list: "alpha" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      list: "alpha",
      listName: "Alpha",
      minSeverity: null,
      tags: [],
      exclude: [],
    });

    const duplicate = await member.api.post("/api/v1/subscriptions", { list: "alpha" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe("already_subscribed");

    const changed = await member.api.patch(`/api/v1/subscriptions/${created.body.id}`, {
      minSeverity: "silence",
      exclude: ["Mild.Example."],
    });
    expect(changed.body).toMatchObject({ minSeverity: "silence", exclude: ["mild.example"] });

    expect((await other.api.get("/api/v1/subscriptions")).body.items).toEqual([]);
    expect((await other.api.delete(`/api/v1/subscriptions/${created.body.id}`)).status).toBe(404);
    expect((await member.api.delete(`/api/v1/subscriptions/${created.body.id}`)).status).toBe(204);
    expect((await member.api.get("/api/v1/subscriptions")).body.items).toEqual([]);
  });

  test("bad input is named: an invalid excluded domain, an unknown list, a bad severity", async () => {
    const exclude = await member.api.post("/api/v1/subscriptions", {
      list: "alpha",
      exclude: ["ok.example", "http://bad.example/"],
    });
    expect(exclude.status).toBe(400);
    expect(exclude.body.errors).toEqual([
      { field: "exclude.1", message: expect.stringMatching(/URL/) },
    ]);
    expect((await member.api.post("/api/v1/subscriptions", { list: "gamma" })).status).toBe(404);
    const severity = await member.api.post("/api/v1/subscriptions", {
      list: "alpha",
      minSeverity: "ban",
    });
    expect(severity.body.errors[0].field).toBe("minSeverity");
  });

  test("an account without an instance has no subscriptions", async () => {
    await addAccount(app.ctx, "operator", "admin", null);
    const { tokenFor } = await import("../support/app.js");
    const token = await tokenFor(app.ctx, "operator", ["read"]);
    const response = await request(app.url)
      .get("/api/v1/subscriptions")
      .set("Authorization", `Bearer ${token}`);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("no_instance");
  });
});

describe("the merged feed", () => {
  let feedOwner: Member;
  beforeAll(async () => {
    feedOwner = await addMember(app, "fay", "f.example");
    await feedOwner.api.post("/api/v1/subscriptions", { list: "alpha" });
    await feedOwner.api.post("/api/v1/subscriptions", {
      list: "beta",
      exclude: ["excluded.example"],
    });
  });

  const feed = (format = "json", who: Member = feedOwner) =>
    request(app.url)
      .get(`/api/v1/subscriptions/export.${format}`)
      .set("Authorization", `Bearer ${who.token}`);

  test("merges the lists: the stricter entry wins, excluded domains are left out", async () => {
    const response = await feed();
    expect(response.status).toBe(200);
    expect(response.headers["cache-control"]).toBe("private, no-cache");
    const byDomain = Object.fromEntries(
      (response.body as { domain: string }[]).map((entry) => [entry.domain, entry]),
    );
    expect(Object.keys(byDomain)).toEqual([
      "both.example",
      "flags.example",
      "mild.example",
      "only-alpha.example",
    ]);
    expect(byDomain["both.example"]).toMatchObject({
      severity: "suspend",
      public_comment: "beta says suspend",
    });
    expect(byDomain["flags.example"]).toMatchObject({
      severity: "silence",
      reject_media: true,
      reject_reports: true,
    });
    const csv = await feed("csv");
    expect(csv.text.split("\n")[0]).toBe(
      "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate",
    );
    expect((await feed("txt")).text).toBe(
      "both.example\nflags.example\nmild.example\nonly-alpha.example\n",
    );
  });

  test("follows the subscription's filters", async () => {
    const mine = (await feedOwner.api.get("/api/v1/subscriptions")).body.items as {
      id: number;
      list: string;
    }[];
    const alpha = mine.find((s) => s.list === "alpha")!;
    await feedOwner.api.patch(`/api/v1/subscriptions/${alpha.id}`, {
      minSeverity: "suspend",
      tags: ["spam"],
    });
    try {
      expect((await feed("txt")).text).toBe("both.example\nflags.example\nonly-alpha.example\n");
    } finally {
      await feedOwner.api.patch(`/api/v1/subscriptions/${alpha.id}`, {
        minSeverity: null,
        tags: [],
      });
    }
  });

  test("ETag and 304; a new ETag when a list or a subscription changes", async () => {
    const first = await feed();
    expect((await feed().set("If-None-Match", first.headers.etag as string)).status).toBe(304);
    app.clock.advance(2000);
    await seedEntries(app.ctx, "alpha", [{ domain: "later.example", severity: "suspend" }]);
    const afterList = await feed().set("If-None-Match", first.headers.etag as string);
    expect(afterList.status).toBe(200);
    expect(afterList.text).toContain("later.example");
    const mine = (await feedOwner.api.get("/api/v1/subscriptions")).body.items as {
      id: number;
      list: string;
    }[];
    await feedOwner.api.patch(`/api/v1/subscriptions/${mine.find((s) => s.list === "alpha")!.id}`, {
      exclude: ["later.example"],
    });
    const afterSettings = await feed().set("If-None-Match", afterList.headers.etag as string);
    expect(afterSettings.status).toBe(200);
    expect(afterSettings.text).not.toContain("later.example");
  });

  test("HTTP Basic with the token as password; anonymous is 401", async () => {
    const basic = await request(app.url)
      .get("/api/v1/subscriptions/export.csv")
      .auth("gotosocial", feedOwner.token);
    expect(basic.status).toBe(200);
    expect(basic.text).toContain("both.example,suspend");
    expect((await request(app.url).get("/api/v1/subscriptions/export.csv")).status).toBe(401);
  });
});

describe("the loop: a passed proposal reaches Mastodon through fediblock sync, and so does its retraction", () => {
  test("created on the first forced sync, nothing on the second, deleted after the removal passes", async () => {
    await createList(app.ctx, "system", {
      slug: "pact",
      name: "Pact",
      policy: { quorum: 1, minOpenHours: 0 },
    });
    const subscriber = await addMember(app, "sam", "sam.example");
    await subscriber.api.post("/api/v1/subscriptions", { list: "pact" });
    const proposed = await member.api.post("/api/v1/lists/pact/proposals", {
      kind: "add",
      domain: "threads.net",
      severity: "suspend",
      publicComment: "Meta",
    });
    expect(proposed.body.status).toBe("passed");

    const mastodon = await startFakeMastodon();
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "fediblock-loop-"));
    const sync = (force: boolean) =>
      syncFromService({
        server: app.url,
        token: subscriber.token,
        target: mastodon,
        stateDir,
        force,
      });
    try {
      const first = await sync(true);
      expect(first.code).toBe(0);
      expect(mastodon.blocks().map((b) => [b.domain, b.severity, b.public_comment])).toEqual([
        ["threads.net", "suspend", "Meta"],
      ]);
      expect(mastodon.blocks()[0]!.private_comment).toMatch(
        /\[fediblock 127\.0\.0\.1:\d+ k1 [0-9a-f]{32}\]/,
      );

      const writes = mastodon.writeRequests().length;
      expect((await sync(false)).code).toBe(0);
      expect(mastodon.writeRequests().length).toBe(writes);

      const removal = await member.api.post("/api/v1/lists/pact/proposals", {
        kind: "remove",
        domain: "threads.net",
        reason: "Threads left.",
      });
      expect(removal.body.status).toBe("passed");
      const third = await sync(false);
      expect(third.code).toBe(0);
      expect(third.report.plan?.delete).toBe(1);
      expect(mastodon.blocks()).toEqual([]);
    } finally {
      await mastodon.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
