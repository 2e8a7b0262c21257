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
function reuseStatements(connection: BetterSqlite3.Database): void {
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
    const statement = cached(sql);
    return {
      bind: (args: unknown[]) => new BoundQuery(statement, args),
      run: (...params: unknown[]) => statement.run(...params),
    };
  }) as unknown as typeof connection.prepare;
}

function serialize(inner: Adapter, open: OpenSqliteTransaction): Adapter {
  const lock = new Lock();
  // The adapter's own connection (a public field of @prisma/adapter-better-sqlite3's adapter).
  const connection = (inner as unknown as { client?: BetterSqlite3.Database }).client ?? null;
  if (connection) reuseStatements(connection);
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
