// Runs the outbox (docs/decisions/0024-outbox-and-delivery.md): after a commit that wrote
// deliveries, at the time the next retry or closing notice falls due, and on a safety poll for
// rows written by other processes. One pass at a time in a process; on PostgreSQL with several
// processes, one pass at a time across them (an advisory lock, ADR 0020), so a delivery is not
// sent twice by two processes at once.
import type { AppContext } from "../context.js";
import { withTryLock } from "../db/try-lock.js";
import { emitClosingNotices, nextClosingNoticeAt } from "./closing.js";
import { deliverDue, nextDeliveryAt, type DeliveryOptions } from "./delivery.js";

const MAX_TIMER_MS = 2 ** 31 - 1;
const SAFETY_POLL_MS = 30_000;
const PASS_LOCK = "fediblock-webhook-delivery";
const PASS_RETRY_MS = 2_000;

export interface DeliveryPass {
  notices: number;
  sent: number;
  delivered: number;
  skipped?: true;
}

/** Writes the closing notices due now, then sends every delivery due now. */
export async function runDeliveryPass(
  ctx: AppContext,
  options: DeliveryOptions = {},
): Promise<DeliveryPass> {
  const pass = async () => {
    const notices = await emitClosingNotices(ctx);
    const total = { notices, sent: 0, delivered: 0 };
    for (;;) {
      const batch = await deliverDue(ctx, options);
      total.sent += batch.sent;
      total.delivered += batch.delivered;
      if (!batch.more) return total;
    }
  };
  if (ctx.db.dialect !== "postgres") return pass();
  const held = await withTryLock(ctx.db.url, PASS_LOCK, pass);
  return held.taken ? { notices: 0, sent: 0, delivered: 0, skipped: true } : held.value;
}

export class WebhookDeliverer {
  private timer: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private queued = false;
  private unsubscribe: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: DeliveryOptions & { pollMs?: number } = {},
  ) {}

  /** Starts the timers; the answer settles once what was already due has been sent. */
  start(): Promise<void> {
    this.unsubscribe = [
      this.ctx.events.outboxWritten.subscribe(() => void this.run()),
      this.ctx.events.proposalsChanged.subscribe(() => void this.run()),
    ];
    this.poll = setInterval(() => void this.run(), this.options.pollMs ?? SAFETY_POLL_MS);
    this.poll.unref();
    return this.run();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.poll);
    for (const unsubscribe of this.unsubscribe) unsubscribe();
  }

  /** Runs a pass (after the one under way, if any; calls meanwhile share the next one). */
  run(): Promise<void> {
    if (this.queued) return this.running;
    this.queued = true;
    this.running = this.running.then(async () => {
      this.queued = false;
      if (this.stopped) return;
      try {
        const pass = await runDeliveryPass(this.ctx, this.options);
        if (pass.skipped) return this.armIn(PASS_RETRY_MS);
      } catch (error) {
        this.ctx.log.error("webhook delivery failed; retrying at the next poll", { error });
      }
      await this.arm();
    });
    return this.running;
  }

  /** Resolves when the work already started has finished. */
  idle(): Promise<void> {
    return this.running;
  }

  private async arm(): Promise<void> {
    const [delivery, notice] = await Promise.all([
      nextDeliveryAt(this.ctx).catch(() => null),
      nextClosingNoticeAt(this.ctx).catch(() => null),
    ]);
    const next = Math.min(delivery?.getTime() ?? Infinity, notice?.getTime() ?? Infinity);
    if (!Number.isFinite(next)) return clearTimeout(this.timer);
    this.armIn(Math.max(0, next - this.ctx.clock.now().getTime()));
  }

  private armIn(delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), Math.min(delay, MAX_TIMER_MS));
    this.timer.unref();
  }
}
