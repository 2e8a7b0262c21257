// express-session store on the Session table, so that sign-ins survive restarts and an
// admin's reset or disable can end an account's sessions. The table keeps only the SHA-256 of
// each session id (docs/security.md): a backup's reader cannot present a stored id as a cookie.
// Rows written before the hash (raw ids) match no cookie any more: those browsers sign in again,
// and the rows are pruned when they expire.
import session from "express-session";
import type { AppContext } from "../context.js";
import { storedSessionId } from "./session-id.js";

type Callback<T = void> = (error?: unknown, value?: T) => void;

export class DatabaseSessionStore extends session.Store {
  constructor(private readonly ctx: AppContext) {
    super();
  }

  private expiry(data: session.SessionData): Date {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires) : new Date(this.ctx.clock.now().getTime() + 86_400_000);
  }

  private accountIdOf(data: session.SessionData): number | null {
    const user = (data as { passport?: { user?: unknown } }).passport?.user;
    return typeof user === "number" ? user : null;
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    this.ctx.db.prisma.session
      .findUnique({ where: { id: storedSessionId(sid) } })
      .then((row) => {
        if (!row || row.expiresAt <= this.ctx.clock.now()) return callback(undefined, null);
        callback(undefined, JSON.parse(row.data) as session.SessionData);
      })
      .catch((error: unknown) => callback(error));
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    const id = storedSessionId(sid);
    const row = {
      data: JSON.stringify(data),
      expiresAt: this.expiry(data),
      accountId: this.accountIdOf(data),
    };
    this.ctx.db.prisma.session
      .upsert({ where: { id }, create: { id, ...row }, update: row })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    this.ctx.db.prisma.session
      .updateMany({ where: { id: storedSessionId(sid) }, data: { expiresAt: this.expiry(data) } })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.ctx.db.prisma.session
      .deleteMany({ where: { id: storedSessionId(sid) } })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  /** Removes expired sessions; called periodically by the server. */
  async prune(): Promise<number> {
    const { count } = await this.ctx.db.prisma.session.deleteMany({
      where: { expiresAt: { lt: this.ctx.clock.now() } },
    });
    return count;
  }
}
