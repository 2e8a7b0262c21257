// The merged feed's export filters, parts and conditional requests (SPEC §4): ?min_severity=,
// ?tag= and ?part= apply to the merged rows, after the stricter entry has won, and shape the ETag;
// Last-Modified never moves backwards, unsubscribing included.
import { parse } from "csv-parse/sync";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createList } from "../../server/lists/lists.service.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, type Member } from "../support/members.js";
import { seedEntries, seedManyEntries } from "../support/seed.js";

let app: TestApp;
let subscriber: Member;

beforeAll(async () => {
  app = await startTestApp();
  subscriber = await addMember(app, "fay", "f.example");
  await createList(app.ctx, "system", { slug: "red", name: "Red" });
  await createList(app.ctx, "system", { slug: "blue", name: "Blue", visibility: "members" });
  await seedEntries(app.ctx, "red", [
    { domain: "shared.example", severity: "silence", rejectMedia: true, tags: ["spam"] },
    { domain: "red-suspend.example", severity: "suspend", tags: ["hate-speech"] },
    { domain: "red-noop.example", severity: "noop", rejectReports: true },
    { domain: "loser-tagged.example", severity: "silence", tags: ["harassment"] },
  ]);
  await seedEntries(app.ctx, "blue", [
    { domain: "shared.example", severity: "suspend", publicComment: "blue suspends" },
    { domain: "blue-silence.example", severity: "silence", tags: ["spam"] },
    { domain: "loser-tagged.example", severity: "suspend", tags: ["corporate"] },
  ]);
  await subscriber.api.post("/api/v1/subscriptions", { list: "red" });
  await subscriber.api.post("/api/v1/subscriptions", { list: "blue" });
});
afterAll(() => app.close());

const feed = (path: string, who: Member = subscriber) =>
  request(app.url).get(`/api/v1/subscriptions/${path}`).set("Authorization", `Bearer ${who.token}`);

/** Each row's domain and severity, read the way a subscriber reads that format. */
function rowsOf(format: string, response: request.Response): [string, string | null][] {
  if (format === "json") {
    return (response.body as { domain: string; severity: string }[]).map((e) => [
      e.domain,
      e.severity,
    ]);
  }
  if (format === "txt")
    return response.text
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((d) => [d, null]);
  return (parse(response.text, { columns: true }) as Record<string, string>[]).map((r) => [
    r["#domain"]!,
    r["#severity"]!,
  ]);
}

describe("filters on the merged feed", () => {
  test("the unfiltered feed: the stricter entry wins for each domain", async () => {
    const response = await feed("export.json");
    expect(response.status).toBe(200);
    expect(rowsOf("json", response)).toEqual([
      ["blue-silence.example", "silence"],
      ["loser-tagged.example", "suspend"],
      ["red-noop.example", "noop"],
      ["red-suspend.example", "suspend"],
      ["shared.example", "suspend"],
    ]);
  });

  test.each(["csv", "json", "txt"])(
    "?min_severity=suspend leaves out silence and noop rows (%s), for GoToSocial",
    async (format) => {
      const response = await feed(`export.${format}?min_severity=suspend`);
      expect(response.status).toBe(200);
      const rows = rowsOf(format, response);
      expect(rows.map(([domain]) => domain)).toEqual([
        "loser-tagged.example",
        "red-suspend.example",
        "shared.example",
      ]);
      if (format !== "txt")
        expect(new Set(rows.map(([, severity]) => severity))).toEqual(new Set(["suspend"]));
    },
  );

  test.each([
    [
      "?min_severity=silence",
      ["blue-silence.example", "loser-tagged.example", "red-suspend.example", "shared.example"],
    ],
    // shared.example's winning entry (blue's suspension) has no tags: red's spam tag lost with it.
    ["?tag=spam", ["blue-silence.example"]],
    // loser-tagged.example is tagged harassment only on the entry that lost the merge.
    ["?tag=harassment", []],
    [
      "?tag=corporate,hate-speech&min_severity=suspend",
      ["loser-tagged.example", "red-suspend.example"],
    ],
    ["?tag=corporate&tag=spam", ["blue-silence.example", "loser-tagged.example"]],
  ])("%s filters the merged rows in all three formats", async (query, domains) => {
    for (const format of ["csv", "json", "txt"]) {
      const response = await feed(`export.${format}${query}`);
      expect(response.status, format).toBe(200);
      expect(
        rowsOf(format, response).map(([domain]) => domain),
        format,
      ).toEqual(domains);
    }
  });

  test.each([
    ["?min_severity=ban", "query.min_severity"],
    ["?tag=nazis", "query.tag.0"],
    ["?part=0", "query.part"],
    ["?part=x", "query.part"],
  ])("%s is a 400 naming the parameter, as on a list's export", async (query, field) => {
    const response = await feed(`export.csv${query}`);
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toMatch(/problem\+json/);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  test("an unknown parameter is treated as on a list's export", async () => {
    const list = await request(app.url).get("/lists/red.csv?utm_source=x");
    const merged = await feed("export.csv?utm_source=x");
    expect(merged.status).toBe(list.status);
    if (merged.status === 200) {
      expect(merged.headers.etag).toBe((await feed("export.csv")).headers.etag);
    }
  });
});

describe("conditional requests on filtered feeds", () => {
  test("the ETag differs by filter and part, and not by how the same filter is spelled", async () => {
    const queries = [
      "",
      "?min_severity=suspend",
      "?min_severity=silence",
      "?tag=spam",
      "?tag=spam&min_severity=suspend",
      "?part=1",
    ];
    const etags = await Promise.all(
      queries.map(async (query) => (await feed(`export.csv${query}`)).headers.etag as string),
    );
    expect(new Set(etags).size).toBe(queries.length);
    const spellings = await Promise.all(
      ["?tag=spam,corporate", "?tag=corporate&tag=spam", "?tag=+spam+,corporate,spam"].map(
        async (query) => (await feed(`export.csv${query}`)).headers.etag as string,
      ),
    );
    expect(new Set(spellings).size).toBe(1);
  });

  test("304 for the filtered feed's own ETag; the same ETag does not match the unfiltered feed", async () => {
    const filtered = await feed("export.csv?min_severity=suspend");
    const etag = filtered.headers.etag as string;
    const again = await feed("export.csv?min_severity=suspend").set("If-None-Match", etag);
    expect(again.status).toBe(304);
    expect(again.text ?? "").toBe("");
    expect(again.headers.etag).toBe(etag);
    const unfiltered = await feed("export.csv").set("If-None-Match", etag);
    expect(unfiltered.status).toBe(200);
    expect(unfiltered.text).toContain("red-noop.example,noop");
  });

  test("HTTP Basic with ?min_severity=suspend, as GoToSocial fetches it", async () => {
    const response = await request(app.url)
      .get("/api/v1/subscriptions/export.csv?min_severity=suspend")
      .auth("gotosocial", subscriber.token);
    expect(response.status).toBe(200);
    expect(rowsOf("csv", response).map(([, severity]) => severity)).toEqual([
      "suspend",
      "suspend",
      "suspend",
    ]);
  });
});

describe("parts beyond Mastodon's 20,000-row import limit, counted after the merge", () => {
  let big: Member;
  beforeAll(async () => {
    big = await addMember(app, "bo", "b.example");
    await createList(app.ctx, "system", { slug: "big-a", name: "Big A" });
    await createList(app.ctx, "system", { slug: "big-b", name: "Big B" });
    // The same 500 domains on both lists, and 20,000 more on one: 20,500 merged rows (20,000 and
    // 500 a part; splitting the lists' 21,000 rows before merging would give 20,000 and 1,000).
    await seedManyEntries(app.ctx, "big-a", 20_500);
    await seedManyEntries(app.ctx, "big-b", 500);
    await big.api.post("/api/v1/subscriptions", { list: "big-a" });
    await big.api.post("/api/v1/subscriptions", { list: "big-b" });
  }, 120_000);

  test("?part=N serves 20,000 merged rows a part; a missing part is 404", async () => {
    const full = await feed("export.csv", big);
    expect(full.headers["fediblock-parts"]).toBe("2");
    expect(full.text.trim().split("\n")).toHaveLength(20_501);

    const parts = await Promise.all([1, 2].map((part) => feed(`export.csv?part=${part}`, big)));
    const rows = parts.map((part) => rowsOf("csv", part).map(([domain]) => domain));
    expect(rows.map((r) => r.length)).toEqual([20_000, 500]);
    expect(new Set(rows.flat()).size).toBe(20_500);
    expect(parts[1]!.headers["content-disposition"]).toBe(
      'attachment; filename="subscriptions.part2.csv"',
    );
    expect(parts[0]!.headers.etag).not.toBe(parts[1]!.headers.etag);

    const missing = await feed("export.csv?part=3", big);
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toMatch(/2 part/);
  });

  test("parts are counted after the filters: the suspensions alone fit in one", async () => {
    const suspensions = await feed("export.txt?min_severity=suspend", big);
    expect(suspensions.headers["fediblock-parts"]).toBe("1");
    // seedManyEntries makes every third entry a silence.
    expect(suspensions.text.trim().split("\n")).toHaveLength(13_666);
    expect((await feed("export.txt?min_severity=suspend&part=2", big)).status).toBe(404);
  });
});

describe("Last-Modified never moves backwards", () => {
  const lastModified = (response: request.Response) =>
    new Date(response.headers["last-modified"] as string).getTime();
  const toSecond = (date: Date) => Math.floor(date.getTime() / 1000) * 1000;
  const subscriptionId = async (who: Member, list: string) =>
    (
      (await who.api.get("/api/v1/subscriptions")).body.items as { id: number; list: string }[]
    ).find((s) => s.list === list)!.id;

  test("unsubscribing moves it forward, so If-Modified-Since with the old time gets the new feed", async () => {
    const leaver = await addMember(app, "lu", "l.example");
    app.clock.advance(5000);
    await leaver.api.post("/api/v1/subscriptions", { list: "red" });
    const before = await feed("export.csv", leaver);
    expect(before.text).toContain("red-suspend.example");
    const l1 = before.headers["last-modified"] as string;

    app.clock.advance(5000);
    const unsubscribedAt = app.clock.now();
    const removed = await leaver.api.delete(
      `/api/v1/subscriptions/${await subscriptionId(leaver, "red")}`,
    );
    expect(removed.status).toBe(204);

    const after = await feed("export.csv", leaver);
    expect(lastModified(after)).toBeGreaterThan(new Date(l1).getTime());
    // With nothing left, the time of the last unsubscribe, not the epoch.
    expect(lastModified(after)).toBe(toSecond(unsubscribedAt));
    const revalidated = await feed("export.csv", leaver).set("If-Modified-Since", l1);
    expect(revalidated.status).toBe(200);
    expect(revalidated.text).toBe(
      "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n",
    );
    const current = await feed("export.csv", leaver).set(
      "If-Modified-Since",
      after.headers["last-modified"] as string,
    );
    expect(current.status).toBe(304);
  });

  test("an instance that never subscribed answers the time it joined, not the epoch", async () => {
    app.clock.advance(60_000);
    const newcomer = await addMember(app, "nu", "n.example");
    const instance = await app.ctx.db.prisma.instance.findUniqueOrThrow({
      where: { domain: "n.example" },
    });
    const response = await feed("export.json", newcomer);
    expect(response.body).toEqual([]);
    expect(lastModified(response)).toBe(toSecond(instance.createdAt));
  });

  test("the same bytes again after a later change carry the later time, not the cached one", async () => {
    const switcher = await addMember(app, "sy", "s.example");
    app.clock.advance(5000);
    await switcher.api.post("/api/v1/subscriptions", { list: "red" });
    const redOnly = await feed("export.csv", switcher); // built and cached
    app.clock.advance(5000);
    await switcher.api.post("/api/v1/subscriptions", { list: "blue" });
    const both = await feed("export.csv", switcher);
    expect(both.headers.etag).not.toBe(redOnly.headers.etag);
    app.clock.advance(5000);
    await switcher.api.delete(`/api/v1/subscriptions/${await subscriptionId(switcher, "blue")}`);

    const again = await feed("export.csv", switcher).set(
      "If-Modified-Since",
      both.headers["last-modified"] as string,
    );
    expect(again.status).toBe(200);
    expect(again.headers.etag).toBe(redOnly.headers.etag);
    expect(again.text).toBe(redOnly.text);
    expect(lastModified(again)).toBeGreaterThan(lastModified(both));
  });

  test("changing a subscription's filters moves it forward", async () => {
    const editor = await addMember(app, "ed", "e.example");
    app.clock.advance(5000);
    await editor.api.post("/api/v1/subscriptions", { list: "red" });
    const before = await feed("export.txt", editor);
    app.clock.advance(5000);
    await editor.api.patch(`/api/v1/subscriptions/${await subscriptionId(editor, "red")}`, {
      minSeverity: "suspend",
    });
    const after = await feed("export.txt", editor).set(
      "If-Modified-Since",
      before.headers["last-modified"] as string,
    );
    expect(after.status).toBe(200);
    expect(after.text).toBe("red-suspend.example\n");
    expect(lastModified(after)).toBeGreaterThan(lastModified(before));
  });
});

describe("equally strict entries on two lists", () => {
  let tied: Member;

  beforeAll(async () => {
    tied = await addMember(app, "tia", "t.example");
    await createList(app.ctx, "system", { slug: "plain", name: "Plain" });
    await createList(app.ctx, "system", { slug: "reasoned", name: "Reasoned" });
    await seedEntries(app.ctx, "plain", [
      { domain: "tie.example", severity: "suspend" },
      { domain: "tie-reversed.example", severity: "silence", publicComment: "voted: spam waves" },
    ]);
    await seedEntries(app.ctx, "reasoned", [
      { domain: "tie.example", severity: "suspend", publicComment: "voted: harassment" },
      { domain: "tie-reversed.example", severity: "silence" },
    ]);
    await tied.api.post("/api/v1/subscriptions", { list: "plain" });
    await tied.api.post("/api/v1/subscriptions", { list: "reasoned" });
  });

  test("the entry with a public comment wins, whichever list comes first", async () => {
    const response = await feed("export.json", tied).expect(200);
    const comments = Object.fromEntries(
      (response.body as { domain: string; public_comment: string }[]).map((e) => [
        e.domain,
        e.public_comment,
      ]),
    );
    expect(comments).toEqual({
      "tie.example": "voted: harassment",
      "tie-reversed.example": "voted: spam waves",
    });
  });
});
