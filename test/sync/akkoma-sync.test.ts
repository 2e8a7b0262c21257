// `fediblock sync --target akkoma` against the fake Akkoma/Pleroma (test/fakes/akkoma.ts): MRF
// SimplePolicy through the admin config API, with the ownership ledger for ownership.
import { afterEach, describe, expect, test } from "vitest";
import { resolveSyncOptions } from "../../server/sync/options.js";
import { feedEntry } from "../fakes/feed.js";
import {
  AKKOMA_NOT_ADMIN_TOKEN,
  AKKOMA_READ_ONLY_TOKEN,
  type FakeAkkoma,
} from "../fakes/akkoma.js";
import { akkomaHarness, type FamilyHarness } from "./family-harness.js";
import { domains } from "./harness.js";

let h: FamilyHarness<FakeAkkoma>;
afterEach(async () => {
  await h.close();
});

const writes = () => h.target.requests.filter((r) => r.method === "POST");

const feed = [
  feedEntry("nazis.example", { severity: "suspend", reject_media: true, public_comment: "hate" }),
  feedEntry("loud.example", { severity: "silence", reject_reports: true, public_comment: "spam" }),
  feedEntry("pics.example", { severity: "noop", reject_media: true }),
  feedEntry("fine.example", { severity: "noop" }),
];

describe("syncing an Akkoma/Pleroma server", () => {
  test("a first sync stops at the brake; with --force each entry lands in its subkeys as *.host with its public reason", async () => {
    h = await akkomaHarness(feed);
    expect((await h.sync()).exitCode).toBe(3);
    expect(writes()).toEqual([]);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(run.report.feed).toMatchObject({ entries: 4, usable: 3 });
    expect(h.target.simple(":reject")).toEqual([["*.nazis.example", "hate"]]);
    expect(h.target.simple(":federated_timeline_removal")).toEqual([["*.loud.example", "spam"]]);
    expect(h.target.simple(":followers_only")).toEqual([["*.loud.example", "spam"]]);
    expect(h.target.simple(":report_removal")).toEqual([["*.loud.example", "spam"]]);
    expect(h.target.simple(":media_removal")).toEqual([["*.pics.example", ""]]);
    // The wildcard reaches the domain and its subdomains; the marker is nowhere on the server.
    expect(h.target.matches(":reject", "nazis.example")).toBe(true);
    expect(h.target.matches(":reject", "cdn.nazis.example")).toBe(true);
    expect(JSON.stringify(writes().map((r) => r.body))).not.toContain("fediblock");
    expect(h.ledgerHosts()).toEqual(["loud.example", "nazis.example", "pics.example"]);
    // Only :mrf_simple was ever written.
    expect(h.target.stored(":mrf")).toBeNull();
    expect(h.target.stored(":instance")).toBeNull();
  });

  test("entries from the config file survive every write; a second run writes nothing", async () => {
    h = await akkomaHarness([feedEntry("new.example")], {
      fileSimple: { ":reject": [["file.example", "from the config file"]] },
    });
    await h.sync({ force: true });
    expect(h.target.simple(":reject")).toEqual([
      ["file.example", "from the config file"],
      ["*.new.example", ""],
    ]);
    h.target.clearLog();
    expect((await h.sync()).report.outcome).toBe("up_to_date");
    expect(writes()).toEqual([]);
  });

  test("a change moves the host between subkeys; a retraction removes only its entries", async () => {
    h = await akkomaHarness(feed);
    await h.sync({ force: true });
    h.target.edit(":reject", [...h.target.simple(":reject"), ["hand.example", "mine"]]);
    h.feed.setEntries([
      feedEntry("nazis.example", { severity: "suspend", public_comment: "hate" }),
      feedEntry("loud.example", { severity: "suspend", public_comment: "spam" }),
    ]);
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(h.target.simple(":reject")).toEqual([
      ["*.nazis.example", "hate"],
      ["hand.example", "mine"],
      ["*.loud.example", "spam"],
    ]);
    for (const key of [
      ":federated_timeline_removal",
      ":followers_only",
      ":report_removal",
      ":media_removal",
    ] as const) {
      expect(h.target.simple(key)).toEqual([]);
    }
  });

  test("hand-made entries are never changed or removed, and reported when the list names them", async () => {
    h = await akkomaHarness([feedEntry("hand.example", { severity: "silence" })]);
    h.target.edit(":reject", [["hand.example", "by hand"]]);
    const run = await h.sync({ force: true });
    expect(writes()).toEqual([]);
    expect(run.report.notes).toEqual([
      expect.objectContaining({ reason: "hand_made", domain: "hand.example" }),
    ]);
    h.feed.setEntries([]);
    await h.sync({ force: true });
    expect(h.target.simple(":reject")).toEqual([["hand.example", "by hand"]]);
  });

  test("an entry an admin edited (another reason, one more subkey) is left alone", async () => {
    h = await akkomaHarness([feedEntry("a.example", { severity: "silence" })]);
    await h.sync({ force: true });
    h.target.edit(":media_removal", [["*.a.example", ""]]);
    h.feed.setEntries([]);
    const run = await h.sync({ force: true });
    expect(run.report.notes).toEqual([
      expect.objectContaining({ reason: "edited", domain: "a.example", wanted: null }),
    ]);
    expect(h.target.simple(":followers_only")).toEqual([["*.a.example", ""]]);
  });

  test("an admin's save after the sync's write is detected and the step retried", async () => {
    h = await akkomaHarness([feedEntry("new.example")]);
    let raced = false;
    h.target.beforeHandle((request) => {
      if (request.method === "GET" && !raced && writes().length === 1) {
        raced = true;
        h.target.edit(":reject", [["theirs.example", ""]]);
      }
    });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(writes()).toHaveLength(2);
    expect(h.target.simple(":reject")).toEqual([
      ["theirs.example", ""],
      ["*.new.example", ""],
    ]);
  });

  test("configurable_from_database off exits 2 and says how to turn it on", async () => {
    h = await akkomaHarness([feedEntry("a.example")], { configurableFromDatabase: false });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(2);
    expect(run.report.error?.message).toContain("configurable_from_database: true");
  });

  test("SimplePolicy missing from :mrf :policies is reported; the entries are still written", async () => {
    h = await akkomaHarness([feedEntry("a.example")], { policies: [] });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(run.report.warnings).toEqual([expect.stringContaining("SimplePolicy")]);
    expect(h.target.simple(":reject")).toEqual([["*.a.example", ""]]);
  });

  test("a whitelist that drops :mrf_simple fails the writes, saying so", async () => {
    h = await akkomaHarness([feedEntry("a.example")]);
    h.target.whitelist = [[":pleroma", ":instance"]];
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(1);
    expect(run.report.actions[0]?.message).toContain("database_config_whitelist");
    expect(h.ledgerHosts()).toEqual([]);
  });

  test("an emptied feed trips the brake and changes nothing", async () => {
    h = await akkomaHarness(domains(25).map((d) => feedEntry(d)));
    await h.sync({ force: true });
    h.feed.setEntries([]);
    h.target.clearLog();
    expect((await h.sync()).exitCode).toBe(3);
    expect(writes()).toEqual([]);
    expect(h.target.simple(":reject")).toHaveLength(25);
  });

  test("a 429 is waited out; a failing server exits 1 and the next run converges", async () => {
    h = await akkomaHarness([feedEntry("a.example")]);
    h.target.failNext(50, 503, ["GET"]);
    expect((await h.sync({ force: true })).exitCode).toBe(1);
    h.target.clearFaults();
    h.target.throttleNext(1, "0", ["POST"]);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(h.target.simple(":reject")).toEqual([["*.a.example", ""]]);
  });

  test("a bad token, a non-admin's or one without admin:write exits 2 having changed nothing", async () => {
    h = await akkomaHarness([feedEntry("a.example")]);
    const bad = await h.sync({ targetToken: "nope", force: true });
    expect(bad.exitCode).toBe(2);
    expect(bad.report.error?.message).toContain("Invalid credentials");
    const user = await h.sync({ targetToken: AKKOMA_NOT_ADMIN_TOKEN, force: true });
    expect(user.report.error?.message).toContain("User is not an admin");
    const readOnly = await h.sync({ targetToken: AKKOMA_READ_ONLY_TOKEN, force: true });
    expect(readOnly.exitCode).toBe(2);
    expect(readOnly.report.error?.message).toContain("admin:write");
    expect(h.target.simple(":reject")).toEqual([]);
  });

  test("--target pleroma is the same target", () => {
    const options = resolveSyncOptions(
      {
        server: "https://lists.example",
        token: "t",
        target: "pleroma",
        targetUrl: "https://pleroma.example",
        targetToken: "x",
      },
      {},
    );
    expect(options.target).toBe("akkoma");
  });
});
