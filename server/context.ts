// Everything a request or a command needs, built once at start and passed down explicitly.
import { LoginThrottle } from "./accounts/login-throttle.js";
import { systemClock, type Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { Database } from "./db/client.js";
import { createServiceEvents, type ServiceEvents } from "./events.js";
import { createLogger, type Logger } from "./log.js";

export interface AppContext {
  readonly db: Database;
  readonly config: Config;
  readonly clock: Clock;
  readonly log: Logger;
  readonly loginThrottle: LoginThrottle;
  readonly events: ServiceEvents;
}

export function createContext(
  db: Database,
  config: Config,
  options: { clock?: Clock; log?: Logger } = {},
): AppContext {
  const clock = options.clock ?? systemClock;
  return {
    db,
    config,
    clock,
    log: options.log ?? createLogger(config.logLevel),
    loginThrottle: new LoginThrottle(db, clock),
    events: createServiceEvents(),
  };
}
