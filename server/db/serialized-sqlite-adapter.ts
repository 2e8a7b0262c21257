// Prisma's better-sqlite3 adapter runs everything on one connection and only puts
// transactions behind a mutex. A query issued outside a transaction while another request's
// interactive transaction is open would run *inside* it: it would read uncommitted rows, and
// its writes would vanish if that transaction rolled back. This wrapper makes every top-level
// query wait for the open transaction to finish, which gives each request the isolation it
// would have on a server database (see docs/decisions/0003-sqlite-serialized-adapter.md).
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";

/**
 * The better-sqlite3 connection while a transaction is open on it (else null): bulk writes run
 * prepared statements on it directly, inside that transaction, without Prisma's per-query cost.
 */
export interface OpenSqliteTransaction {
  connection: BetterSqlite3.Database | null;
}

type Factory = PrismaBetterSQLite3;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** A FIFO lock: `acquire()` resolves with the function that releases it. */
class Lock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => released);
    return acquired;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

function serialize(inner: Adapter, open: OpenSqliteTransaction): Adapter {
  const lock = new Lock();
  // The adapter's own connection (a public field of @prisma/adapter-better-sqlite3's adapter).
  const connection = (inner as unknown as { client?: BetterSqlite3.Database }).client ?? null;
  const wrapped: Adapter = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => lock.run(() => inner.queryRaw(query)),
    executeRaw: (query) => lock.run(() => inner.executeRaw(query)),
    executeScript: (script) => lock.run(() => inner.executeScript(script)),
    async startTransaction(isolationLevel) {
      const release = await lock.acquire();
      let transaction: Transaction;
      try {
        transaction = await inner.startTransaction(isolationLevel);
      } catch (error) {
        release();
        throw error;
      }
      open.connection = connection;
      const finish = (end: () => Promise<void>) => async () => {
        try {
          await end();
        } finally {
          open.connection = null;
          release();
        }
      };
      return {
        provider: transaction.provider,
        adapterName: transaction.adapterName,
        options: transaction.options,
        queryRaw: (query) => transaction.queryRaw(query),
        executeRaw: (query) => transaction.executeRaw(query),
        commit: finish(() => transaction.commit()),
        rollback: finish(() => transaction.rollback()),
      };
    },
    dispose: () => inner.dispose(),
  };
  if (inner.getConnectionInfo) wrapped.getConnectionInfo = () => inner.getConnectionInfo!();
  return wrapped;
}

type AdapterFactory = Pick<Factory, "provider" | "adapterName" | "connect" | "connectToShadowDb">;

/** Wraps the adapter factory so that every connection it makes is serialized. */
export function serializedSqliteAdapter(
  factory: Factory,
  open: OpenSqliteTransaction = { connection: null },
): AdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => serialize(await factory.connect(), open),
    connectToShadowDb: async () =>
      serialize(await factory.connectToShadowDb(), { connection: null }),
  };
}
