// `fediblock serve`: take the SQLite file (one service per file), migrate, listen, and only then
// create the first admin if there is none — a start that cannot listen creates nothing, so the
// one-time password is never printed by a start that then fails.
import { createServer, type Server } from "node:http";
import { ensureFirstAdmin } from "../accounts/accounts.service.js";
import { createContext } from "../context.js";
import { startChangeSignals } from "../db/change-signals.js";
import { dialectOf, openDatabase, sqliteFilePath } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { acquireServeLock, type ServeLock } from "../db/serve-lock.js";
import { createApp } from "../http/app.js";
import { redactUrl } from "../log.js";
import { ProposalScheduler } from "../proposals/scheduler.js";
import { SourcePoller } from "../sources/poller.js";
import { ReviewScheduler } from "../reviews/scheduler.js";
import { logFormulaText } from "../text/formula-report.js";
import { WebhookDeliverer } from "../webhooks/deliverer.js";
import { announceNewDatabase, configFrom, reportError } from "./context.js";
import type { ConfigFlags } from "../config.js";

export async function serve(flags: ConfigFlags): Promise<void> {
  let lock: ServeLock | null = null;
  try {
    const config = configFrom(flags);
    if (dialectOf(config.databaseUrl) === "sqlite") {
      announceNewDatabase(config.databaseUrl);
      lock = await acquireServeLock(sqliteFilePath(config.databaseUrl));
    }
    const migration = await migrate(config.databaseUrl);
    const db = await openDatabase(config.databaseUrl);
    const ctx = createContext(db, config);
    if (migration.applied.length > 0) {
      ctx.log.info(`database migrated: ${migration.applied.join(", ")}`);
    }
    if (config.outbound.allowPrivate) {
      ctx.log.warn(
        "FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE=true: the server may fetch http:// and private, loopback and link-local addresses (tests and closed networks only)",
      );
    }
    // Text stored before the formula rule is reported, never changed (docs/security.md).
    await logFormulaText(db.prisma, ctx.log);
    // Several processes on one PostgreSQL tell each other what they committed (ADR 0020).
    const signals =
      db.dialect === "postgres" ? await startChangeSignals(db, ctx.events, ctx.log) : null;
    const { handler, sessions } = await createApp(ctx);
    // Proposals whose window closed while the service was down are settled before the first
    // request, so nobody sees them open or votes on them.
    const scheduler = new ProposalScheduler(ctx);
    await scheduler.start();
    // Webhook deliveries left by a process that stopped are sent now (docs/decisions/0024).
    const deliverer = new WebhookDeliverer(ctx);
    void deliverer.start();
    // The weekly entries.review_due events (docs/decisions/0032).
    const reviews = new ReviewScheduler(ctx);
    await reviews.start();
    const server: Server = createServer(handler);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.port, config.host, resolve);
      });
    } catch (error) {
      scheduler.stop();
      deliverer.stop();
      reviews.stop();
      await signals?.close();
      await db.close();
      throw error;
    }
    const admin = await ensureFirstAdmin(ctx);
    // Upstream sources are polled once the service listens (their fetches take time).
    const poller = new SourcePoller(ctx);
    void poller.start();
    const pruning = setInterval(() => void sessions.prune().catch(() => {}), 3_600_000);
    pruning.unref();

    console.log(`Fediblock Commons is listening on http://${config.host}:${config.port}`);
    console.log(`Open ${config.publicUrl}/ in a browser.`);
    console.log(`Database: ${redactUrl(config.databaseUrl)}`);
    if (admin.created && admin.password) {
      console.log("");
      console.log("First start: created the account `admin`. Sign in with this one-time password");
      console.log("(it is shown only now; you will be asked to change it):");
      console.log("");
      console.log(`    ${admin.password}`);
      console.log("");
    } else if (admin.created) {
      console.log("First start: created the account `admin` with FEDIBLOCK_ADMIN_PASSWORD.");
    } else if (admin.unclaimed) {
      console.log("");
      console.log(
        `The account \`${admin.unclaimed}\` created on first start has never signed in. If its one-time`,
      );
      console.log("password is lost, print a new one (the service may keep running):");
      console.log("");
      console.log(`    fediblock account reset-password ${admin.unclaimed}`);
      console.log("");
    }

    const held = lock;
    const stop = (signal: string) => {
      ctx.log.info(`${signal}: shutting down`);
      scheduler.stop();
      deliverer.stop();
      poller.stop();
      reviews.stop();
      server.close(
        () =>
          void Promise.resolve(signals?.close())
            .then(() => db.close())
            .finally(() => {
              held?.release();
              process.exit(0);
            }),
      );
      setTimeout(() => process.exit(0), 10_000).unref();
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  } catch (error) {
    lock?.release();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.error(
        `fediblock: port ${(error as { port?: number }).port ?? ""} is already in use: choose another with --port or PORT`,
      );
      process.exitCode = 2;
      return;
    }
    reportError(error);
  }
}
