// Committed changes, told to the other service processes on the same PostgreSQL database
// (docs/decisions/0020-several-processes.md). Every transaction that changed a list or a proposal
// sends `NOTIFY fediblock_changes` from inside itself (PostgreSQL delivers it at commit and drops
// it on rollback); every process LISTENs on a connection of its own and tells its caches and its
// proposal timer, exactly as its own commits do. The signal is a hint: the export caches still
// revalidate within 1 s and the timer still polls, so a lost connection only slows agreement
// down to those bounds (and the listener reconnects).
import pg from "pg";
import { randomUUID } from "node:crypto";
import type { Logger } from "../log.js";
import type { ServiceEvents } from "../events.js";
import type { Database } from "./client.js";

const CHANNEL = "fediblock_changes";
const RECONNECT_MS = 5_000;

interface Signal {
  /** The sending process, so that it does not react to its own commits twice. */
  from: string;
  lists: number[];
  proposals: boolean;
}

export interface ChangeSignals {
  close(): Promise<void>;
}

/** Sends this process's committed changes and reacts to the others'. PostgreSQL only. */
export async function startChangeSignals(
  db: Database,
  events: ServiceEvents,
  log: Logger,
): Promise<ChangeSignals> {
  if (db.dialect !== "postgres") throw new Error("change signals need PostgreSQL");
  const self = randomUUID();
  const removeHook = db.onCommit({
    async beforeCommit(tx, changes) {
      const signal: Signal = {
        from: self,
        lists: [...changes.lists],
        proposals: changes.proposals,
      };
      await tx.$executeRaw`SELECT pg_notify(${CHANNEL}, ${JSON.stringify(signal)})`;
    },
  });

  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const received = (message: pg.Notification) => {
    try {
      const signal = JSON.parse(message.payload ?? "") as Signal;
      if (signal.from === self) return;
      if (signal.proposals) events.proposalsChanged.notify();
      for (const listId of signal.lists) events.listChanged.notify(listId);
    } catch (error) {
      log.warn("ignored a malformed change signal", { error });
    }
  };
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: db.url });
    next.on("notification", received);
    next.on("error", (error) => {
      log.warn("the change-signal connection failed; caches fall back to revalidation", {
        error,
      });
      next.removeAllListeners("notification");
      void next.end().catch(() => {});
      if (client === next) client = null;
      scheduleReconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${CHANNEL}`);
    client = next;
  };
  const scheduleReconnect = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(() => scheduleReconnect());
    }, RECONNECT_MS);
    retry.unref();
  };
  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      removeHook();
      await client?.end().catch(() => {});
    },
  };
}
