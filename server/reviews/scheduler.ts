// Raises the weekly `entries.review_due` events without waiting for a request (the pattern of
// server/proposals/scheduler.ts): a timer checks every hour whether a list is due its weekly
// event (the audit log remembers when each last had one, so restarts neither skip nor repeat a
// week). On PostgreSQL one process at a time runs the check (server/db/try-lock.ts).
import type { AppContext } from "../context.js";
import { withTryLock } from "../db/try-lock.js";
import { raiseReviewDue, type DueList } from "./reviews.service.js";

const CHECK_EVERY_MS = 3_600_000;
const CHECK_LOCK = "fediblock-review-due";

/** One check: raises what is due, or nothing when another process is checking (`skipped`). */
export async function checkReviewDue(
  ctx: AppContext,
): Promise<{ raised: DueList[]; skipped?: true }> {
  if (ctx.db.dialect !== "postgres") return { raised: await raiseReviewDue(ctx) };
  const pass = await withTryLock(ctx.db.url, CHECK_LOCK, () => raiseReviewDue(ctx));
  return pass.taken ? { raised: [], skipped: true } : { raised: pass.value };
}

export class ReviewScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly everyMs = CHECK_EVERY_MS,
  ) {}

  /** Starts the hourly check; the answer settles once the first check has run. */
  start(): Promise<void> {
    this.timer = setInterval(() => void this.run(), this.everyMs);
    this.timer.unref();
    return this.run();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Runs one check after the one before it; a failure is logged and retried next time. */
  run(): Promise<void> {
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      try {
        await checkReviewDue(this.ctx);
      } catch (error) {
        this.ctx.log.error("raising entries.review_due failed; retrying at the next check", {
          error,
        });
      }
    });
    return this.running;
  }
}
