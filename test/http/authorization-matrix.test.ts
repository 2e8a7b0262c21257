// Every route of the route table against every kind of caller (SPEC §9): anonymous, a member
// of instance A (web session), a member of instance B, a curator and an admin (each by token
// and by web session), tokens with each single scope, and a revoked token. Who may call each
// route is written down here from SPEC §3's table, independently of the route table's own
// `access`, so a route declared with the wrong access level fails; the expected answer is that
// plus the token scope SPEC §2 gives the method, plus the ownership rules a route adds. A
// route without a case here fails.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hashPassword, TEST_PASSWORD_COST } from "../../server/accounts/password.js";
import { revokeOwnToken } from "../../server/accounts/tokens.service.js";
import { actorForSession } from "../../server/accounts/accounts.service.js";
import type { Actor, Scope } from "../../server/accounts/actor.js";
import type { AnyRoute } from "../../server/http/route.js";
import { allRoutes } from "../../server/http/routes/index.js";
import { createAppeal } from "../../server/appeals/appeals.service.js";
import { createList } from "../../server/lists/lists.service.js";
import { openProposal } from "../../server/proposals/proposals.service.js";
import { castVote } from "../../server/proposals/votes.service.js";
import { subscribe } from "../../server/subscriptions/subscriptions.service.js";
import { createWebhook } from "../../server/webhooks/webhooks.service.js";
import { issueFeedToken } from "../../server/feeds/feed-tokens.service.js";
import { addAccount, signIn, startTestApp, tokenFor, type TestApp } from "../support/app.js";
import { seedEntries } from "../support/seed.js";

type CallerName =
  | "anonymous"
  | "memberA"
  | "memberB"
  | "curator"
  | "curatorSession"
  | "admin"
  | "adminSession"
  | "readToken"
  | "writeToken"
  | "adminScopeToken"
  | "revokedToken";

interface Caller {
  name: CallerName;
  /** The account behind the caller, or null for anonymous. */
  username: string | null;
  role: "member" | "curator" | "admin" | null;
  /** Token scopes; null for a web session (all its role allows) or anonymous. */
  scopes: Scope[] | null;
  revoked?: boolean;
}

const CALLERS: Caller[] = [
  { name: "anonymous", username: null, role: null, scopes: null },
  { name: "memberA", username: "alice", role: "member", scopes: null },
  { name: "memberB", username: "bob", role: "member", scopes: ["read", "write"] },
  { name: "curator", username: "cora", role: "curator", scopes: ["read", "write"] },
  { name: "curatorSession", username: "cora", role: "curator", scopes: null },
  { name: "admin", username: "ada", role: "admin", scopes: ["read", "write", "admin"] },
  { name: "adminSession", username: "ada", role: "admin", scopes: null },
  { name: "readToken", username: "alice", role: "member", scopes: ["read"] },
  { name: "writeToken", username: "alice", role: "member", scopes: ["write"] },
  { name: "adminScopeToken", username: "ada", role: "admin", scopes: ["admin"] },
  {
    name: "revokedToken",
    username: "alice",
    role: "member",
    scopes: ["read", "write"],
    revoked: true,
  },
];

let app: TestApp;
const tokens = new Map<CallerName, string>();
const passwords = new Map<string, string>();
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

async function actorOf(username: string): Promise<Actor> {
  const account = await app.ctx.db.prisma.account.findUniqueOrThrow({ where: { username } });
  return (await actorForSession(app.ctx, account.id))!;
}

/** A proposal opened by `username`'s instance on the `matrix` list (quorum 50: stays open). */
async function proposalBy(username: string, domain = `${unique("p")}.example`): Promise<number> {
  return (
    await openProposal(app.ctx, await actorOf(username), "matrix", {
      kind: "add",
      domain,
      severity: "suspend",
    })
  ).id;
}

/** A source the `matrix` list follows (a fresh one per call). */
async function sourceOnMatrix(url = `https://${unique("src")}.example/list.csv`): Promise<number> {
  const list = await app.ctx.db.prisma.list.findUniqueOrThrow({ where: { slug: "matrix" } });
  const source = await app.ctx.db.prisma.listSource.create({
    data: {
      listId: list.id,
      kind: "blocklist",
      url,
      maxSeverity: "suspend",
      maxProposalsPerPoll: 10,
      pollMinutes: 60,
    },
  });
  return source.id;
}

interface Prepared {
  path: string;
  body?: object;
  csv?: string;
}

/** Who may call a route, as SPEC §3's "who" column says: anyone, any account ("members",
 * "account"), curators (and admins), or admins. */
type Who = "anyone" | "account" | "curator" | "admin";

interface Case {
  who: Who;
  /** What a caller allowed by the generic rule gets. */
  allowed: number;
  /** Builds a fresh request for this caller (creating what the request acts on). */
  prepare(caller: Caller): Promise<Prepared>;
  /** Callers whose answer differs from the generic rule (ownership, own-secret routes). */
  overrides?: Partial<Record<CallerName, number>>;
  /** Undo what an allowed request changed that later requests rely on. */
  after?(caller: Caller): Promise<void>;
}

const fixed = (path: string, body?: object) => async (): Promise<Prepared> => ({
  path,
  ...(body ? { body } : {}),
});
const exportCase = (path: string): Case => ({ who: "anyone", allowed: 200, prepare: fixed(path) });
const feedCase = (format: string): Case => ({
  who: "account",
  allowed: 200,
  prepare: fixed(`/api/v1/subscriptions/export.${format}`),
});

const CASES: Record<string, Case> = {
  "POST /auth/login": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/auth/login", { username: "lena", password: "pw-lena-correct-horse" }),
  },
  "GET /auth/session": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/auth/session"),
  },
  "POST /auth/logout": {
    who: "account",
    allowed: 204,
    prepare: fixed("/auth/logout"),
  },
  "GET /api/v1/me": {
    who: "account",
    allowed: 200,
    prepare: fixed("/api/v1/me"),
  },
  "POST /api/v1/me/password": {
    who: "account",
    allowed: 204,
    prepare: async (caller) => ({
      path: "/api/v1/me/password",
      body: {
        currentPassword: passwords.get(caller.username ?? "") ?? "x".repeat(12),
        newPassword: "another-long-password",
      },
    }),
    async after(caller) {
      if (!caller.username) return;
      await app.ctx.db.prisma.account.update({
        where: { username: caller.username },
        data: {
          passwordHash: await hashPassword(passwords.get(caller.username)!, TEST_PASSWORD_COST),
        },
      });
    },
  },
  "GET /api/v1/tokens": {
    who: "account",
    allowed: 200,
    prepare: fixed("/api/v1/tokens"),
  },
  "POST /api/v1/tokens": {
    who: "account",
    allowed: 201,
    prepare: fixed("/api/v1/tokens", { name: "matrix", scopes: ["read"] }),
    // A token cannot make a token with a scope it lacks.
    overrides: { writeToken: 403 },
  },
  "DELETE /api/v1/tokens/:id": {
    who: "account",
    allowed: 204,
    // A token of the caller's own account (anonymous: someone's).
    prepare: async (caller) => {
      const token = await tokenFor(app.ctx, caller.username ?? "alice", ["read"]);
      return { path: `/api/v1/tokens/${token.split("_")[1]}` };
    },
  },
  "GET /api/v1/instances": {
    who: "account",
    allowed: 200,
    prepare: fixed("/api/v1/instances"),
  },
  "POST /api/v1/instances": {
    who: "admin",
    allowed: 201,
    prepare: async () => ({
      path: "/api/v1/instances",
      body: { domain: `${unique("inst")}.example` },
    }),
  },
  "PATCH /api/v1/instances/:domain": {
    who: "account",
    allowed: 200,
    // alice's instance: its own accounts and admins decide, another instance's accounts may not.
    prepare: fixed("/api/v1/instances/a.example", { listed: false }),
    overrides: { memberB: 403, curator: 403, curatorSession: 403 },
  },
  "GET /downloads/fediblock-sync.mjs": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/downloads/fediblock-sync.mjs"),
  },
  "GET /downloads/fediblock-sync.mjs.sha256": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/downloads/fediblock-sync.mjs.sha256"),
  },
  "GET /api/v1/members": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/api/v1/members"),
  },
  "GET /api/v1/accounts": {
    who: "admin",
    allowed: 200,
    prepare: fixed("/api/v1/accounts"),
  },
  "POST /api/v1/accounts": {
    who: "admin",
    allowed: 201,
    prepare: async () => ({
      path: "/api/v1/accounts",
      body: { username: unique("new"), role: "member", instance: "a.example" },
    }),
  },
  "PATCH /api/v1/accounts/:username": {
    who: "admin",
    allowed: 200,
    prepare: async () => {
      const username = unique("target");
      await addAccount(app.ctx, username, "member", "a.example");
      return { path: `/api/v1/accounts/${username}`, body: { role: "curator" } };
    },
  },
  "GET /api/v1/lists": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/api/v1/lists"),
  },
  "POST /api/v1/lists": {
    who: "admin",
    allowed: 201,
    prepare: async () => ({ path: "/api/v1/lists", body: { slug: unique("made"), name: "Made" } }),
  },
  "GET /api/v1/lists/:slug": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/api/v1/lists/matrix"),
  },
  "PATCH /api/v1/lists/:slug": {
    who: "admin",
    allowed: 200,
    prepare: fixed("/api/v1/lists/matrix", { description: "edited" }),
  },
  "GET /api/v1/lists/:slug/entries": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/api/v1/lists/matrix/entries"),
  },
  "GET /api/v1/lists/:slug/entries/:domain": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/api/v1/lists/matrix/entries/listed.example"),
  },
  "PATCH /api/v1/lists/:slug/entries/:domain": {
    who: "curator",
    allowed: 200,
    prepare: async () => ({
      path: "/api/v1/lists/matrix/entries/listed.example",
      body: { publicComment: unique("comment") },
    }),
  },
  "GET /api/v1/lists/:slug/changes": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/api/v1/lists/matrix/changes?since=0"),
  },
  "GET /api/v1/lists/:slug/proposals": {
    who: "account",
    allowed: 200,
    prepare: fixed("/api/v1/lists/matrix/proposals"),
  },
  "POST /api/v1/lists/:slug/proposals": {
    who: "account",
    allowed: 201,
    prepare: async () => ({
      path: "/api/v1/lists/matrix/proposals",
      body: { kind: "add", domain: `${unique("new")}.example`, severity: "silence" },
    }),
  },
  "GET /api/v1/proposals/:id": {
    who: "account",
    allowed: 200,
    prepare: async () => ({ path: `/api/v1/proposals/${await proposalBy("zed")}` }),
  },
  "PUT /api/v1/proposals/:id/vote": {
    who: "account",
    allowed: 200,
    prepare: async () => ({
      path: `/api/v1/proposals/${await proposalBy("zed")}/vote`,
      body: { vote: "no" },
    }),
  },
  "DELETE /api/v1/proposals/:id/vote": {
    who: "account",
    allowed: 204,
    prepare: async (caller) => {
      const id = await proposalBy("zed");
      if (caller.username)
        await castVote(app.ctx, await actorOf(caller.username), id, { vote: "yes" });
      return { path: `/api/v1/proposals/${id}/vote` };
    },
  },
  "POST /api/v1/proposals/:id/withdraw": {
    who: "account",
    allowed: 200,
    // Proposed by instance A: only A's accounts may withdraw it.
    prepare: async () => ({ path: `/api/v1/proposals/${await proposalBy("alice")}/withdraw` }),
    overrides: { memberB: 403, curator: 403, curatorSession: 403, admin: 403, adminSession: 403 },
  },
  "POST /api/v1/proposals/:id/decide": {
    who: "curator",
    allowed: 200,
    prepare: async () => ({
      path: `/api/v1/proposals/${await proposalBy("zed")}/decide`,
      body: { outcome: "rejected", reason: "matrix" },
    }),
  },
  "POST /api/v1/proposals/:id/comments": {
    who: "account",
    allowed: 201,
    prepare: async () => ({
      path: `/api/v1/proposals/${await proposalBy("zed")}/comments`,
      body: { body: "A comment." },
    }),
  },
  "GET /api/v1/audit": {
    who: "account",
    allowed: 200,
    prepare: fixed("/api/v1/audit"),
  },
  "POST /api/v1/lists/:slug/imports": {
    who: "account",
    allowed: 200,
    prepare: async () => ({
      path: "/api/v1/lists/matrix/imports?dryRun=true",
      csv: "domain,severity\nimported.example,silence\n",
    }),
  },
  "GET /lists/:slug.csv": exportCase("/lists/matrix.csv"),
  "GET /lists/:slug.json": exportCase("/lists/matrix.json"),
  "GET /lists/:slug.txt": exportCase("/lists/matrix.txt"),
  "GET /api/v1/lists/:slug/export.csv": exportCase("/api/v1/lists/matrix/export.csv"),
  "GET /api/v1/lists/:slug/export.json": exportCase("/api/v1/lists/matrix/export.json"),
  "GET /api/v1/lists/:slug/export.txt": exportCase("/api/v1/lists/matrix/export.txt"),
  "GET /.well-known/nodeinfo": exportCase("/.well-known/nodeinfo"),
  "GET /nodeinfo/2.1": exportCase("/nodeinfo/2.1"),
  "GET /fires/labels": exportCase("/fires/labels"),
  "GET /fires/labels/:tag": exportCase("/fires/labels/spam"),
  "GET /fires/datasets": exportCase("/fires/datasets"),
  "GET /fires/datasets/:slug": exportCase("/fires/datasets/matrix"),
  "GET /fires/datasets/:slug/changes": exportCase("/fires/datasets/matrix/changes"),
  "GET /fires/datasets/:slug/changes/:id": {
    who: "anyone",
    allowed: 200,
    async prepare() {
      const change = await app.ctx.db.prisma.listChange.findFirstOrThrow({
        where: { list: { slug: "matrix" } },
      });
      return { path: `/fires/datasets/matrix/changes/${change.firesId}` };
    },
  },
  "GET /fires/datasets/:slug/snapshot": exportCase("/fires/datasets/matrix/snapshot"),
  "GET /api/v1/subscriptions": {
    who: "account",
    allowed: 200,
    prepare: fixed("/api/v1/subscriptions"),
  },
  "POST /api/v1/subscriptions": {
    who: "account",
    allowed: 201,
    prepare: async () => {
      const slug = unique("sub");
      await createList(app.ctx, "system", { slug, name: slug });
      return { path: "/api/v1/subscriptions", body: { list: slug } };
    },
  },
  "PATCH /api/v1/subscriptions/:id": {
    who: "account",
    allowed: 200,
    // Instance A's subscription: another instance's accounts do not see it.
    prepare: async () => ({
      path: `/api/v1/subscriptions/${await subscriptionOfA()}`,
      body: { minSeverity: "silence" },
    }),
    overrides: { memberB: 404, curator: 404, curatorSession: 404, admin: 404, adminSession: 404 },
  },
  "DELETE /api/v1/subscriptions/:id": {
    who: "account",
    allowed: 204,
    prepare: async () => ({ path: `/api/v1/subscriptions/${await subscriptionOfA()}` }),
    overrides: { memberB: 404, curator: 404, curatorSession: 404, admin: 404, adminSession: 404 },
  },
  "GET /api/v1/subscriptions/export.csv": feedCase("csv"),
  "GET /api/v1/subscriptions/export.json": feedCase("json"),
  "GET /api/v1/subscriptions/export.txt": feedCase("txt"),
  "GET /api/v1/webhooks": { who: "account", allowed: 200, prepare: fixed("/api/v1/webhooks") },
  "POST /api/v1/webhooks": {
    who: "account",
    allowed: 201,
    prepare: fixed("/api/v1/webhooks", { url: "https://hooks.example/x", events: ["entry.added"] }),
  },
  "DELETE /api/v1/webhooks/:id": {
    who: "account",
    allowed: 204,
    // Instance A's webhook: another instance's accounts do not see it.
    prepare: async () => ({ path: `/api/v1/webhooks/${await webhookOfA()}` }),
    overrides: { memberB: 404, curator: 404, curatorSession: 404, admin: 404, adminSession: 404 },
  },
  "GET /api/v1/webhooks/:id/deliveries": {
    who: "account",
    allowed: 200,
    prepare: async () => ({ path: `/api/v1/webhooks/${await webhookOfA()}/deliveries` }),
    overrides: { memberB: 404, curator: 404, curatorSession: 404, admin: 404, adminSession: 404 },
  },
  "GET /lists/:slug/proposals.atom": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/lists/matrix/proposals.atom"),
  },
  "GET /api/v1/instances/me/awaiting.atom": {
    who: "anyone",
    allowed: 200,
    // The feed token decides, whoever else the caller is.
    prepare: async () => {
      const { token } = await issueFeedToken(app.ctx, await actorOf("zed"));
      return { path: `/api/v1/instances/me/awaiting.atom?token=${token}` };
    },
  },
  "GET /api/v1/instances/me/awaiting": {
    who: "account",
    allowed: 200,
    prepare: fixed("/api/v1/instances/me/awaiting"),
  },
  "GET /api/v1/instances/me/feed-token": {
    who: "account",
    allowed: 200,
    prepare: fixed("/api/v1/instances/me/feed-token"),
  },
  "POST /api/v1/instances/me/feed-token": {
    who: "account",
    allowed: 201,
    prepare: fixed("/api/v1/instances/me/feed-token"),
  },
  "DELETE /api/v1/instances/me/feed-token": {
    who: "account",
    allowed: 204,
    prepare: async (caller) => {
      if (caller.username) await issueFeedToken(app.ctx, await actorOf(caller.username));
      return { path: "/api/v1/instances/me/feed-token" };
    },
  },
  "GET /api/v1/lists/:slug/sources": {
    who: "account",
    allowed: 200,
    prepare: fixed("/api/v1/lists/matrix/sources"),
  },
  "POST /api/v1/lists/:slug/sources": {
    who: "curator",
    allowed: 201,
    prepare: async () => ({
      path: "/api/v1/lists/matrix/sources",
      body: { kind: "blocklist", url: `https://${unique("upstream")}.example/list.csv` },
    }),
  },
  "GET /api/v1/lists/:slug/sources/:id": {
    who: "account",
    allowed: 200,
    prepare: async () => ({ path: `/api/v1/lists/matrix/sources/${await sourceOnMatrix()}` }),
  },
  "PATCH /api/v1/lists/:slug/sources/:id": {
    who: "curator",
    allowed: 200,
    prepare: async () => ({
      path: `/api/v1/lists/matrix/sources/${await sourceOnMatrix()}`,
      body: { maxSeverity: "silence" },
    }),
  },
  "DELETE /api/v1/lists/:slug/sources/:id": {
    who: "curator",
    allowed: 204,
    prepare: async () => ({ path: `/api/v1/lists/matrix/sources/${await sourceOnMatrix()}` }),
  },
  // The poll is refused by the outbound policy (a loopback address) and recorded: still a 200.
  "POST /api/v1/lists/:slug/sources/:id/poll": {
    who: "curator",
    allowed: 200,
    prepare: async () => ({
      path: `/api/v1/lists/matrix/sources/${await sourceOnMatrix(`https://127.0.0.1:1/${unique("list")}.csv`)}/poll`,
    }),
  },
  "GET /healthz": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/healthz"),
  },
  // Metrics check their own secret: an admin with the admin scope, else refused.
  "GET /metrics": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/metrics"),
    overrides: {
      anonymous: 401,
      memberA: 403,
      memberB: 403,
      curator: 403,
      curatorSession: 403,
      readToken: 403,
    },
  },
  "POST /api/v1/lists/:slug/entries/:domain/review": {
    who: "account",
    allowed: 200,
    prepare: async () => ({
      path: `/api/v1/lists/reviewed/entries/${await reviewedDomain()}/review`,
    }),
  },
  "POST /api/v1/lists/:slug/entries/:domain/appeals": {
    who: "anyone",
    allowed: 201,
    prepare: async () => ({
      path: `/api/v1/lists/matrix/entries/${await listedDomain()}/appeals`,
      body: { rebuttal: "Not us." },
    }),
  },
  // Refused before any fetch: a member's proposal is open on the entry (the test has no network).
  "POST /api/v1/appeals/:id/verify": {
    who: "anyone",
    allowed: 409,
    prepare: async () => {
      const domain = await listedDomain();
      const { id } = await createAppeal(app.ctx, "matrix", domain, appealBody);
      await openProposal(app.ctx, await actorOf("zed"), "matrix", { kind: "remove", domain });
      return { path: `/api/v1/appeals/${id}/verify` };
    },
  },
  "GET /api/v1/appeals/:id": {
    who: "anyone",
    allowed: 200,
    prepare: async () => {
      const { id } = await createAppeal(app.ctx, "matrix", await listedDomain(), appealBody);
      return { path: `/api/v1/appeals/${id}` };
    },
  },
  "POST /api/v1/appeals/:id/comments": {
    who: "anyone",
    allowed: 201,
    prepare: async () => {
      const created = await createAppeal(app.ctx, "matrix", await listedDomain(), appealBody);
      return {
        path: `/api/v1/appeals/${created.id}/comments`,
        body: { appealToken: created.appealToken, body: "Please look again." },
      };
    },
  },
  "GET /api/openapi.json": {
    who: "anyone",
    allowed: 200,
    prepare: fixed("/api/openapi.json"),
  },
};

const appealBody = { kind: "remove" as const, rebuttal: "Not us.", links: [] };

/** A fresh entry on `matrix`, for a route that acts on one entry at a time. */
async function listedDomain(): Promise<string> {
  const domain = `${unique("appealing")}.example`;
  await seedEntries(app.ctx, "matrix", [{ domain, severity: "suspend" }]);
  return domain;
}

/** A fresh entry on a list with review dates. */
async function reviewedDomain(): Promise<string> {
  if (!(await app.ctx.db.prisma.list.findUnique({ where: { slug: "reviewed" } }))) {
    await createList(app.ctx, "system", {
      slug: "reviewed",
      name: "Reviewed",
      policy: { reviewMonths: 6 },
    });
  }
  const domain = `${unique("reviewing")}.example`;
  await seedEntries(app.ctx, "reviewed", [{ domain, severity: "suspend" }]);
  return domain;
}

async function subscriptionOfA(): Promise<number> {
  const slug = unique("subbed");
  await createList(app.ctx, "system", { slug, name: slug });
  return (await subscribe(app.ctx, await actorOf("alice"), { list: slug })).id;
}

async function webhookOfA(): Promise<number> {
  // One at a time, so that an instance's limit is never reached.
  await app.ctx.db.prisma.webhook.deleteMany({ where: { url: "https://hooks.example/a" } });
  return (
    await createWebhook(app.ctx, await actorOf("alice"), {
      url: "https://hooks.example/a",
      events: ["entry.added"],
    })
  ).id;
}

/** The token scope SPEC §2 gives a request: `admin` on admin routes, `read` for GET, else `write`. */
function scopeFor(who: Who, method: AnyRoute["method"]): Scope {
  if (who === "admin") return "admin";
  return method === "get" ? "read" : "write";
}

/** What a caller should get from a route, before the route's own ownership rules. */
function expectedStatus(route: AnyRoute, who: Who, caller: Caller, allowed: number): number {
  if (caller.revoked) return 401;
  if (!caller.role) return who === "anyone" ? allowed : 401;
  if (caller.scopes && !caller.scopes.includes(scopeFor(who, route.method))) return 403;
  if (who === "admin" && caller.role !== "admin") return 403;
  if (who === "curator" && caller.role === "member") return 403;
  return allowed;
}

async function send(
  route: AnyRoute,
  caller: Caller,
  prepared: Prepared,
): Promise<request.Response> {
  let test: request.Test;
  if (caller.role && !caller.scopes) {
    const browser = await signIn(app, {
      username: caller.username!,
      password: passwords.get(caller.username!)!,
    });
    const call = browser.agent[route.method](prepared.path);
    test =
      route.method === "get"
        ? call
        : call.set("X-CSRF-Token", browser.csrfToken).set("Origin", app.url);
  } else {
    test = request(app.url)[route.method](prepared.path);
    if (caller.role) test = test.set("Authorization", `Bearer ${tokens.get(caller.name)}`);
  }
  if (prepared.csv !== undefined) return test.set("Content-Type", "text/csv").send(prepared.csv);
  return prepared.body ? test.send(prepared.body) : test;
}

beforeAll(async () => {
  app = await startTestApp();
  for (const [username, role, instance] of [
    ["alice", "member", "a.example"],
    ["bob", "member", "b.example"],
    ["cora", "curator", "c.example"],
    ["ada", "admin", "admin.example"],
    ["zed", "member", "z.example"],
    ["lena", "member", "l.example"],
  ] as const) {
    passwords.set(username, (await addAccount(app.ctx, username, role, instance)).password);
  }
  for (const caller of CALLERS) {
    if (caller.scopes)
      tokens.set(caller.name, await tokenFor(app.ctx, caller.username!, caller.scopes));
  }
  const revoked = tokens.get("revokedToken")!;
  await revokeOwnToken(app.ctx, await actorOf("alice"), revoked.split("_")[1]!);
  await createList(app.ctx, "system", {
    slug: "matrix",
    name: "Matrix",
    policy: { quorum: 50, minOpenHours: 0 },
  });
  await seedEntries(app.ctx, "matrix", [
    { domain: "listed.example", severity: "silence" },
    { domain: "c.example", severity: "suspend", privateComment: "kept" },
    { domain: "admin.example", severity: "suspend", privateComment: "kept" },
  ]);
  for (const username of ["alice", "bob", "cora", "ada"]) {
    await subscribe(app.ctx, await actorOf(username), { list: "matrix" });
  }
});
afterAll(() => app.close());

const key = (route: AnyRoute) => `${route.method.toUpperCase()} ${route.path}`;
const routeNamed = (name: string) => allRoutes.find((route) => key(route) === name)!;
const decideRoute = routeNamed("POST /api/v1/proposals/:id/decide");
const patchRoute = routeNamed("PATCH /api/v1/lists/:slug/entries/:domain");
const importRoute = routeNamed("POST /api/v1/lists/:slug/imports");

test("every route of the route table has a case (a new route must be added here)", () => {
  const missing = allRoutes.map(key).filter((name) => !CASES[name]);
  expect(missing).toEqual([]);
  const stale = Object.keys(CASES).filter(
    (name) => !allRoutes.some((route) => key(route) === name),
  );
  expect(stale).toEqual([]);
});

test("the route table declares the access SPEC §3 gives each route", () => {
  const declared: Record<AnyRoute["access"], Who> = {
    public: "anyone",
    account: "account",
    curator: "curator",
    admin: "admin",
  };
  const differing = allRoutes
    .filter((route) => CASES[key(route)] && declared[route.access] !== CASES[key(route)]!.who)
    .map((route) => `${key(route)}: declared ${route.access}, SPEC ${CASES[key(route)]!.who}`);
  expect(differing).toEqual([]);
});

describe.each(allRoutes.map((route) => [key(route), route] as const))("%s", (_name, route) => {
  test.each(CALLERS.map((caller) => [caller.name, caller] as const))(
    "%s",
    async (_callerName, caller) => {
      const definition = CASES[key(route)];
      expect(definition, `no case for ${key(route)}`).toBeDefined();
      const prepared = await definition!.prepare(caller);
      const generic = expectedStatus(route, definition!.who, caller, definition!.allowed);
      const override = definition!.overrides?.[caller.name];
      const expected =
        generic === definition!.allowed && override !== undefined ? override : generic;
      const response = await send(route, caller, prepared);
      expect(
        response.status,
        `${caller.name} ${route.method.toUpperCase()} ${prepared.path}: ${response.text.slice(0, 300)}`,
      ).toBe(expected);
      if (expected >= 400) {
        expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
        const scope = scopeFor(definition!.who, route.method);
        if (expected === 403 && caller.scopes && !caller.scopes.includes(scope)) {
          expect(response.body.code).toBe("insufficient_scope");
        }
      }
      // Each answer is defined once: the real answer must match the route's response schema.
      if (
        response.status < 300 &&
        route.response &&
        /json/.test(response.headers["content-type"] ?? "")
      ) {
        const parsed = route.response.safeParse(response.body);
        expect(parsed.error?.issues ?? [], `${key(route)} answers what its schema says`).toEqual(
          [],
        );
        // …and says everything it answers: a field the schema lacks would be stripped.
        expect(parsed.data, `${key(route)}: a field missing from its schema`).toEqual(
          response.body,
        );
      }
      if (response.status === definition!.allowed) await definition!.after?.(caller);
    },
  );
});

/** The own-instance rule (ADR 0015) on the curator's paths, for every caller who may take them. */
describe("a curator or admin never acts on its own instance's block", () => {
  const OWN: Partial<Record<CallerName, string>> = {
    curator: "c.example",
    curatorSession: "c.example",
    admin: "admin.example",
    adminSession: "admin.example",
  };
  const own = (caller: Caller) => OWN[caller.name];
  const curators = CALLERS.filter((caller) => own(caller) !== undefined);

  test.each(curators.map((caller) => [caller.name, caller] as const))(
    "%s: decide on a proposal of a subdomain of its own domain: 403 own_instance",
    async (_name, caller) => {
      for (const domain of [`${unique("media")}.${own(caller)!}`, `a.b.${own(caller)!}`]) {
        const id = await proposalBy("zed", domain);
        for (const outcome of ["passed", "rejected"]) {
          const response = await send(decideRoute, caller, {
            path: `/api/v1/proposals/${id}/decide`,
            body: { outcome, reason: "matrix" },
          });
          expect(response.status, response.text).toBe(403);
          expect(response.body.code).toBe("own_instance");
        }
        await app.ctx.db.prisma.proposal.update({
          where: { id },
          data: { status: "withdrawn", openDomain: null },
        });
      }
    },
  );

  test.each(curators.map((caller) => [caller.name, caller] as const))(
    "%s: PATCH of its own domain's entry: 403 own_instance, nothing changed",
    async (_name, caller) => {
      const response = await send(patchRoute, caller, {
        path: `/api/v1/lists/matrix/entries/${own(caller)!}`,
        body: { privateComment: "", evidence: [] },
      });
      expect(response.status, response.text).toBe(403);
      expect(response.body.code).toBe("own_instance");
      const entry = await app.ctx.db.prisma.entry.findFirstOrThrow({
        where: { domain: own(caller)! },
      });
      expect(entry.privateComment).toBe("kept");
    },
  );

  test.each(curators.map((caller) => [caller.name, caller] as const))(
    "%s: a direct import of its own domain: the row is the problem own_instance",
    async (_name, caller) => {
      const response = await send(importRoute, caller, {
        path: "/api/v1/lists/matrix/imports?direct=true",
        csv: `domain,severity\n${own(caller)!},noop\n`,
      });
      expect(response.status, response.text).toBe(201);
      expect(response.body.report.problems).toMatchObject([
        { line: 2, domain: own(caller)!, code: "own_instance" },
      ]);
      const entry = await app.ctx.db.prisma.entry.findFirstOrThrow({
        where: { domain: own(caller)! },
      });
      expect(entry.severity).toBe("suspend");
    },
  );
});
