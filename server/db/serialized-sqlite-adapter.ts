// Prisma's better-sqlite3 adapter runs everything on one connection and only puts
// transactions behind a mutex. A query issued outside a transaction while another request's
// interactive transaction is open would run *inside* it: it would read uncommitted rows, and
// its writes would vanish if that transaction rolled back. This wrapper makes every top-level
// query wait for the open transaction to finish, which gives each request the isolation it
// would have on a server database (see docs/decisions/0003-sqlite-serialized-adapter.md).
//
// Every write also takes SQLite's write lock up front (BEGIN IMMEDIATE), waiting for another
// process (the CLI) asynchronously, up to the busy timeout; past it the write fails with
// DatabaseBusyError, which the HTTP layer answers 503 (docs/decisions/0011-sqlite-one-service-per-file.md).
// A deferred BEGIN would take the lock only at the first write, and fail at once with
// SQLITE_BUSY when another process wrote since the transaction's first read.
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import { DatabaseBusyError } from "./busy.js";

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

/**
 * A prepared statement with its arguments, for one query: what Prisma's adapter gets from
 * `prepare(sql).bind(args)`, except that the statement itself stays unbound so that the next
 * query with the same SQL can use it too. It offers exactly what the adapter calls (`reader`,
 * `run`, `columns`, `raw().all()`).
 */
class BoundQuery {
  constructor(
    private readonly statement: BetterSqlite3.Statement,
    private readonly args: unknown[],
  ) {}

  get reader(): boolean {
    return this.statement.reader;
  }

  run(): BetterSqlite3.RunResult {
    return this.statement.run(this.args);
  }

  columns(): BetterSqlite3.ColumnDefinition[] {
    return this.statement.columns();
  }

  raw(): { all(): unknown[] } {
    return { all: () => this.statement.raw(true).all(this.args) as unknown[] };
  }
}

/**
 * Distinct SQL texts kept. Prisma's SQL varies only with the length of IN lists: the whole test
 * suite, hostile input included, makes fewer than 300. Past the limit statements are prepared as
 * before, so memory stays bounded whatever the queries.
 */
const MAX_CACHED_STATEMENTS = 2000;

/**
 * Makes the connection reuse its prepared statements, keyed by their SQL, instead of preparing a
 * new one for every query as Prisma's adapter does. Besides saving the preparation, this keeps
 * statements from being garbage-collected while the service runs: better-sqlite3 ≤ 12 aborts
 * Node 24 when a statement is finalized at an unlucky moment (collect-garbage.ts), and cached
 * statements are finalized only after the database closes, by a collection made on purpose.
 * better-sqlite3 runs synchronously, so one statement may serve every query with the same SQL.
 */
function reuseStatements(connection: BetterSqlite3.Database, begun: { now: boolean }): void {
  const prepare = connection.prepare.bind(connection);
  const statements = new Map<string, BetterSqlite3.Statement>();
  const cached = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = prepare(sql);
      if (statements.size < MAX_CACHED_STATEMENTS) statements.set(sql, statement);
    }
    return statement;
  };
  connection.prepare = ((sql: string) => {
    // Prisma's adapter begins its transactions with `prepare("BEGIN").run()`; the wrapper has
    // already begun one with BEGIN IMMEDIATE (beginImmediate below).
    if (sql === "BEGIN" && begun.now) {
      return {
        run: () => {
          begun.now = false;
          return { changes: 0, lastInsertRowid: 0 };
        },
      };
    }
    const statement = cached(sql);
    return {
      bind: (args: unknown[]) => new BoundQuery(statement, args),
      run: (...params: unknown[]) => statement.run(...params),
    };
  }) as unknown as typeof connection.prepare;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const isBusy = (error: unknown) =>
  typeof (error as { code?: unknown }).code === "string" &&
  (error as { code: string }).code.startsWith("SQLITE_BUSY");

/**
 * BEGIN IMMEDIATE without blocking the event loop: each attempt does not wait (busy_timeout 0),
 * and between attempts the process serves other requests. Past `timeoutMs`, DatabaseBusyError.
 */
async function beginImmediate(
  connection: BetterSqlite3.Database,
  timeoutMs: number,
  syncBusyMs: number,
): Promise<void> {
  const started = Date.now();
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    connection.exec("PRAGMA busy_timeout = 0");
    try {
      connection.exec("BEGIN IMMEDIATE");
      return;
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() - started + wait > timeoutMs)
        throw new DatabaseBusyError(Date.now() - started);
    } finally {
      connection.exec(`PRAGMA busy_timeout = ${syncBusyMs}`);
    }
    await sleep(wait);
  }
}

/** Top-level statements that only read run as they are; anything else in its own transaction. */
const READ_ONLY = /^\s*(SELECT|PRAGMA|EXPLAIN)\b/i;

export interface BusyOptions {
  /** How long a write waits for another process's write lock before DatabaseBusyError. */
  busyTimeoutMs: number;
  /** The connection's own (blocking) busy timeout, for everything else. */
  syncBusyMs: number;
}

function serialize(inner: Adapter, open: OpenSqliteTransaction, busy: BusyOptions): Adapter {
  const lock = new Lock();
  // The adapter's own connection (a public field of @prisma/adapter-better-sqlite3's adapter).
  const connection = (inner as unknown as { client?: BetterSqlite3.Database }).client ?? null;
  const begun = { now: false };
  if (connection) reuseStatements(connection, begun);

  /** A top-level write, in a transaction of its own that took the write lock up front. */
  const topLevel = async <T>(sql: string, work: () => Promise<T>): Promise<T> => {
    if (!connection || READ_ONLY.test(sql) || connection.inTransaction) return work();
    await beginImmediate(connection, busy.busyTimeoutMs, busy.syncBusyMs);
    try {
      const result = await work();
      connection.exec("COMMIT");
      return result;
    } catch (error) {
      if (connection.inTransaction) connection.exec("ROLLBACK");
      throw error;
    }
  };

  const wrapped: Adapter = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => lock.run(() => topLevel(query.sql, () => inner.queryRaw(query))),
    executeRaw: (query) => lock.run(() => topLevel(query.sql, () => inner.executeRaw(query))),
    executeScript: (script) => lock.run(() => inner.executeScript(script)),
    async startTransaction(isolationLevel) {
      const release = await lock.acquire();
      let transaction: Transaction;
      try {
        if (connection) {
          await beginImmediate(connection, busy.busyTimeoutMs, busy.syncBusyMs);
          begun.now = true;
        }
        try {
          transaction = await inner.startTransaction(isolationLevel);
        } catch (error) {
          if (connection?.inTransaction) connection.exec("ROLLBACK");
          throw error;
        } finally {
          begun.now = false;
        }
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
  busy: BusyOptions = { busyTimeoutMs: 10_000, syncBusyMs: 50 },
): AdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => serialize(await factory.connect(), open, busy),
    connectToShadowDb: async () =>
      serialize(await factory.connectToShadowDb(), { connection: null }, busy),
  };
}
