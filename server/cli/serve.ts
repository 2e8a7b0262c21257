// `fediblock serve`: migrate, create the first admin if there is none, listen.
import { createServer, type Server } from "node:http";
import { ensureFirstAdmin } from "../accounts/accounts.service.js";
import { createContext } from "../context.js";
import { openDatabase } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { createApp } from "../http/app.js";
import { ProposalScheduler } from "../proposals/scheduler.js";
import { configFrom, reportError } from "./context.js";
import type { ConfigFlags } from "../config.js";

export async function serve(flags: ConfigFlags): Promise<void> {
  try {
    const config = configFrom(flags);
    const migration = await migrate(config.databaseUrl);
    const db = await openDatabase(config.databaseUrl);
    const ctx = createContext(db, config);
    if (migration.applied.length > 0) {
      ctx.log.info(`database migrated: ${migration.applied.join(", ")}`);
    }
    const admin = await ensureFirstAdmin(ctx);
    const { handler, sessions } = await createApp(ctx);
    // Proposals whose window closed while the service was down are settled before the first
    // request, so nobody sees them open or votes on them.
    const scheduler = new ProposalScheduler(ctx);
    await scheduler.start();
    const server: Server = createServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, resolve);
    });
    const pruning = setInterval(() => void sessions.prune().catch(() => {}), 3_600_000);
    pruning.unref();

    console.log(`Fediblock Commons is listening on http://${config.host}:${config.port}`);
    console.log(`Open ${config.publicUrl}/ in a browser.`);
    console.log(`Database: ${config.databaseUrl}`);
    if (admin.created && admin.password) {
      console.log("");
      console.log("First start: created the account `admin`. Sign in with this one-time password");
      console.log("(it is shown only now; you will be asked to change it):");
      console.log("");
      console.log(`    ${admin.password}`);
      console.log("");
    } else if (admin.created) {
      console.log("First start: created the account `admin` with FEDIBLOCK_ADMIN_PASSWORD.");
    }

    const stop = (signal: string) => {
      ctx.log.info(`${signal}: shutting down`);
      scheduler.stop();
      server.close(() => void db.close().finally(() => process.exit(0)));
      setTimeout(() => process.exit(0), 10_000).unref();
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  } catch (error) {
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
