// A real service for a test file: a fresh database (a SQLite file, or a fresh PostgreSQL
// database when FEDIBLOCK_TEST_DATABASE=postgres), the Express app listening on a loopback
// port, and a clock the test moves by hand.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { createAccount } from "../../server/accounts/accounts.service.js";
import { issueToken } from "../../server/accounts/tokens.service.js";
import type { Role, Scope } from "../../server/accounts/actor.js";
import { TEST_PASSWORD_COST } from "../../server/accounts/password.js";
import { ManualClock } from "../../server/clock.js";
import { loadConfig } from "../../server/config.js";
import { createContext, type AppContext } from "../../server/context.js";
import { openDatabase } from "../../server/db/client.js";
import { migrate } from "../../server/db/migrate.js";
import { createApp } from "../../server/http/app.js";
import { createLogger } from "../../server/log.js";
import { freshDatabaseUrl } from "./database.js";

export interface TestApp {
  ctx: AppContext;
  clock: ManualClock;
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startTestApp(
  options: { clock?: ManualClock; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const { url: databaseUrl, drop } = await freshDatabaseUrl();
  await migrate(databaseUrl);
  const db = await openDatabase(databaseUrl);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    FEDIBLOCK_PUBLIC_URL: url,
    FEDIBLOCK_LOG_LEVEL: "silent",
    ...options.env,
  });
  const clock = options.clock ?? new ManualClock();
  const log = createLogger(process.env.FEDIBLOCK_TEST_LOG === "1" ? "debug" : "silent");
  const ctx = createContext(db, config, { clock, log, passwordCost: TEST_PASSWORD_COST });
  const { handler } = await createApp(ctx);
  server.on("request", handler);
  return {
    ctx,
    clock,
    url,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
      await drop();
    },
  };
}

export interface TestAccount {
  username: string;
  password: string;
  role: Role;
  instance: string | null;
}

/** Creates an account (and its instance) directly through the service, with a known password. */
export async function addAccount(
  ctx: AppContext,
  username: string,
  role: Role,
  instance: string | null,
): Promise<TestAccount> {
  const password = `pw-${username}-correct-horse`;
  await createAccount(ctx, "system", { username, role, instance, createInstance: true, password });
  return { username, password, role, instance };
}

/** A bearer token for an account. */
export async function tokenFor(
  ctx: AppContext,
  username: string,
  scopes: Scope[] = ["read", "write"],
): Promise<string> {
  const account = await ctx.db.prisma.account.findUniqueOrThrow({ where: { username } });
  const { token } = await issueToken(
    ctx,
    "system",
    { id: account.id, username, role: account.role as Role },
    { name: "test", scopes },
  );
  return token;
}

/** A signed-in browser: keeps the session cookie and sends the CSRF token and Origin on writes. */
export interface Browser {
  agent: ReturnType<typeof request.agent>;
  csrfToken: string;
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  put(path: string, body?: object): request.Test;
  patch(path: string, body?: object): request.Test;
  delete(path: string): request.Test;
}

export async function signIn(
  app: TestApp,
  account: Pick<TestAccount, "username" | "password">,
): Promise<Browser> {
  const agent = request.agent(app.url);
  const response = await agent
    .post("/auth/login")
    .set("Origin", app.url)
    .send({ username: account.username, password: account.password });
  if (response.status !== 200) {
    throw new Error(`sign-in of ${account.username} failed: ${response.status} ${response.text}`);
  }
  const csrfToken = response.body.csrfToken as string;
  const write = (test: request.Test, body?: object) => {
    const withHeaders = test.set("X-CSRF-Token", csrfToken).set("Origin", app.url);
    return body === undefined ? withHeaders : withHeaders.send(body);
  };
  return {
    agent,
    csrfToken,
    get: (path) => agent.get(path),
    post: (path, body) => write(agent.post(path), body),
    put: (path, body) => write(agent.put(path), body),
    patch: (path, body) => write(agent.patch(path), body),
    delete: (path) => write(agent.delete(path)),
  };
}

/** A temporary directory removed by the returned function. */
export function temporaryDirectory(prefix = "fediblock-test-"): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
