// One holder at a time across the service processes sharing a PostgreSQL database: an advisory
// lock held by a connection of its own for as long as `work` runs (docs/decisions/0020). The
// database drops it if the process dies, so there is nothing to clean up. Not a transaction:
// `work` runs its own transactions, as it would without the lock.
import pg from "pg";

/** Runs `work` under the named lock, or answers `taken` at once when another holder has it. */
export async function withTryLock<T>(
  url: string,
  name: string,
  work: () => Promise<T>,
): Promise<{ taken: false; value: T } | { taken: true }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock(hashtext($1)) AS locked",
      [name],
    );
    if (!rows[0]?.locked) return { taken: true };
    try {
      return { taken: false, value: await work() };
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [name]);
    }
  } finally {
    await client.end();
  }
}
