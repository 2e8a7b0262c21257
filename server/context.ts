// Everything a request or a command needs, built once at start and passed down explicitly.
import { LoginThrottle } from "./accounts/login-throttle.js";
import { passwordHasher, type PasswordHasher } from "./accounts/password.js";
import { systemClock, type Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { CommitHook } from "./db/changes.js";
import type { Database } from "./db/client.js";
import { createServiceEvents, type ServiceEvents } from "./events.js";
import { createLogger, type Logger } from "./log.js";
import { outboxHook } from "./webhooks/outbox.js";

export interface AppContext {
  readonly db: Database;
  readonly config: Config;
  readonly clock: Clock;
  readonly log: Logger;
  readonly loginThrottle: LoginThrottle;
  readonly events: ServiceEvents;
  /** Password hashing at the cost fixed here (lower only in the test suite). */
  readonly passwords: PasswordHasher;
}

export function createContext(
  db: Database,
  config: Config,
  options: { clock?: Clock; log?: Logger; passwordCost?: number } = {},
): AppContext {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.logLevel);
  const events = createServiceEvents();
  db.onCommit(invalidateAfterCommit(events, log));
  // Webhook deliveries are written with the event's transaction (docs/decisions/0024).
  db.onCommit(
    outboxHook({
      clock,
      publicUrl: config.publicUrl,
      written: () => events.outboxWritten.notify(),
    }),
  );
  return {
    db,
    config,
    clock,
    log,
    loginThrottle: new LoginThrottle(db, clock),
    events,
    passwords: passwordHasher(options.passwordCost),
  };
}

/**
 * The in-process consequences of a committed change (docs/decisions/0018): the export caches
 * forget the lists that changed, the proposal timer re-arms. They are hints (readers still check
 * the database), so a failing listener is logged, never the request's failure.
 */
function invalidateAfterCommit(events: ServiceEvents, log: Logger): CommitHook {
  return {
    afterCommit(changes) {
      try {
        if (changes.proposals) events.proposalsChanged.notify();
        for (const listId of changes.lists) events.listChanged.notify(listId);
      } catch (error) {
        log.error("a listener of committed changes failed", { error });
      }
    },
  };
}
