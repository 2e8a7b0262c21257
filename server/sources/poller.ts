// Polls every source when it is due (docs/decisions/0030): a source is due `pollMinutes` after
// its last poll (at once when it has never been polled), by the context's clock. A timer checks
// every minute; with several service processes on PostgreSQL one pass runs at a time (an
// advisory lock, as the proposal scheduler's), and each source is polled under a lock of its own
// so that a curator's "poll now" never overlaps the pass.
import type { AppContext } from "../context.js";
import { withTryLock } from "../db/try-lock.js";
import { pollSource } from "./poll.js";

const PASS_LOCK = "fediblock-poll-sources";
const CHECK_EVERY_MS = 60_000;

/** The ids of the sources due at `ctx.clock.now()`, the longest-waiting first. */
export async function dueSources(ctx: AppContext): Promise<number[]> {
  const now = ctx.clock.now().getTime();
  const sources = await ctx.db.prisma.listSource.findMany({
    select: { id: true, lastPolledAt: true, pollMinutes: true },
    orderBy: { id: "asc" },
  });
  return sources
    .filter((s) => !s.lastPolledAt || s.lastPolledAt.getTime() + s.pollMinutes * 60_000 <= now)
    .sort((a, b) => (a.lastPolledAt?.getTime() ?? 0) - (b.lastPolledAt?.getTime() ?? 0))
    .map((s) => s.id);
}

/**
 * Polls every due source, one after the other. Answers how many were polled, or `skipped` when
 * another process is running a pass (PostgreSQL).
 */
export async function pollDueSources(ctx: AppContext): Promise<{ polled: number; skipped?: true }> {
  if (ctx.db.dialect !== "postgres") return pollDueNow(ctx);
  const pass = await withTryLock(ctx.db.url, PASS_LOCK, () => pollDueNow(ctx));
  return pass.taken ? { polled: 0, skipped: true } : pass.value;
}

async function pollDueNow(ctx: AppContext): Promise<{ polled: number }> {
  let polled = 0;
  for (const id of await dueSources(ctx)) {
    try {
      const report = await pollSource(ctx, id);
      if (report !== "busy" && report !== null) polled += 1;
    } catch (error) {
      ctx.log.error("polling an upstream source failed; retrying at its next poll", {
        error,
        source: id,
      });
    }
  }
  return { polled };
}

export class SourcePoller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly checkEveryMs = CHECK_EVERY_MS,
  ) {}

  /** Starts the timer; the answer settles once the sources already due have been polled. */
  start(): Promise<void> {
    this.timer = setInterval(() => void this.run(), this.checkEveryMs);
    this.timer.unref();
    return this.run();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Polls what is due now; one pass at a time. */
  run(): Promise<void> {
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      try {
        await pollDueSources(this.ctx);
      } catch (error) {
        this.ctx.log.error("polling upstream sources failed; retrying in a minute", { error });
      }
    });
    return this.running;
  }

  idle(): Promise<void> {
    return this.running;
  }
}
