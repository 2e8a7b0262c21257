// Closes proposals on time, without waiting for a request (SPEC §2): a timer wakes the service
// when the next open proposal reaches the end of its window (rejected unless it passed) or
// its `minOpenHours` (it passes then if it already has the votes). It re-arms whenever
// proposals change, and polls as a safety net for changes made by other processes.
import type { AppContext } from "../context.js";
import { withTryLock } from "../db/try-lock.js";
import { passableAt } from "./tally.js";
import { proposalInclude, closeIfDecided, type Outcome } from "./settle.js";

const MAX_TIMER_MS = 2 ** 31 - 1;
const SAFETY_POLL_MS = 60_000;

/** The PostgreSQL advisory lock that lets one process at a time run a closing pass. */
const PASS_LOCK = "fediblock-close-due-proposals";
/** How soon a process whose pass found the lock taken tries again. */
const PASS_RETRY_MS = 1_000;

/**
 * Settles every open proposal that is due at `ctx.clock.now()`: past its window, or past its
 * minimum open time since `sinceMs` (the previous run). Answers what happened. On PostgreSQL,
 * with several service processes, one pass runs at a time (an advisory lock held by a
 * connection of its own for the pass): a process that finds it taken answers `skipped` and tries
 * again shortly. Each proposal is also closed under its own row lock, so it closes once either way.
 */
export async function closeDueProposals(
  ctx: AppContext,
  sinceMs = 0,
): Promise<{ passed: number; rejected: number; skipped?: true }> {
  if (ctx.db.dialect !== "postgres") return closeDueNow(ctx, sinceMs);
  const pass = await withTryLock(ctx.db.url, PASS_LOCK, () => closeDueNow(ctx, sinceMs));
  return pass.taken ? { passed: 0, rejected: 0, skipped: true } : pass.value;
}

async function closeDueNow(
  ctx: AppContext,
  sinceMs: number,
): Promise<{ passed: number; rejected: number }> {
  const now = ctx.clock.now();
  const open = await ctx.db.prisma.proposal.findMany({
    where: { status: "open" },
    select: { id: true, openedAt: true, minOpenHours: true, closesAt: true },
  });
  const due = open.filter((p) => {
    const passable = passableAt(p).getTime();
    return p.closesAt <= now || (passable > sinceMs && passable <= now.getTime());
  });
  const counts = { passed: 0, rejected: 0 };
  for (const { id } of due) {
    const outcome = await closeIfDueNow(ctx, id, now);
    if (outcome !== "open") counts[outcome] += 1;
  }
  return counts;
}

/**
 * Settles one proposal at `now` in its own transaction, as the service itself: locked first
 * (like a vote), so it cannot be closed twice by a concurrent vote or run.
 */
async function closeIfDueNow(ctx: AppContext, id: number, now: Date): Promise<Outcome | "open"> {
  return ctx.db.transaction(async (tx) => {
    const locked = await tx.proposal.updateMany({
      where: { id, status: "open" },
      data: { version: { increment: 1 } },
    });
    if (locked.count === 0) return "open";
    const proposal = await tx.proposal.findUniqueOrThrow({
      where: { id },
      include: proposalInclude,
    });
    return closeIfDecided(tx, "system", proposal, now);
  });
}

/**
 * Settles a proposal whose window has closed without anyone settling it (the service was
 * down, or not yet started, or another process served the request); its transaction tells the
 * timer and the exports. Answers the proposal's status afterwards.
 */
export async function closeOverdueProposal(ctx: AppContext, id: number): Promise<string> {
  await closeIfDueNow(ctx, id, ctx.clock.now());
  const row = await ctx.db.prisma.proposal.findUnique({ where: { id }, select: { status: true } });
  return row?.status ?? "open";
}

/** When the next open proposal becomes due, or null when none is open. */
export async function nextDueAt(ctx: AppContext): Promise<Date | null> {
  const now = ctx.clock.now().getTime();
  const open = await ctx.db.prisma.proposal.findMany({
    where: { status: "open" },
    select: { openedAt: true, minOpenHours: true, closesAt: true },
  });
  let next = Infinity;
  for (const p of open) {
    const passable = passableAt(p).getTime();
    if (passable > now) next = Math.min(next, passable);
    next = Math.min(next, p.closesAt.getTime());
  }
  return Number.isFinite(next) ? new Date(next) : null;
}

export class ProposalScheduler {
  private timer: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private lastRunMs = 0;
  private running: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly pollMs = SAFETY_POLL_MS,
  ) {}

  /** Starts the timers; the answer settles once what was already due has been settled. */
  start(): Promise<void> {
    this.unsubscribe = this.ctx.events.proposalsChanged.subscribe(() => this.arm());
    this.poll = setInterval(() => this.run(), Math.min(this.pollMs, MAX_TIMER_MS));
    this.poll.unref();
    return this.run();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.poll);
    this.unsubscribe?.();
  }

  /** Settles what is due now, then sets the timer for the next one. Runs one at a time. */
  run(): Promise<void> {
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      try {
        const startedMs = this.ctx.clock.now().getTime();
        const pass = await closeDueProposals(this.ctx, this.lastRunMs);
        if (pass.skipped) {
          // Another process is running a pass, which may have begun before this one's proposal
          // was due: try again shortly rather than waiting for the next timer.
          if (this.stopped) return;
          clearTimeout(this.timer);
          this.timer = setTimeout(() => void this.run(), PASS_RETRY_MS);
          this.timer.unref();
          return;
        }
        this.lastRunMs = startedMs;
      } catch (error) {
        this.ctx.log.error("closing due proposals failed; retrying at the next poll", { error });
      }
      await this.armNow();
    });
    return this.running;
  }

  /** Resolves when the work already started (a timer's run, a re-arm) has finished. */
  idle(): Promise<void> {
    return this.running;
  }

  private arm(): void {
    this.running = this.running.then(() => this.armNow());
  }

  private async armNow(): Promise<void> {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const next = await nextDueAt(this.ctx).catch(() => null);
    if (!next) return;
    const delay = Math.max(0, next.getTime() - this.ctx.clock.now().getTime());
    this.timer = setTimeout(() => void this.run(), Math.min(delay, MAX_TIMER_MS));
    this.timer.unref();
  }
}
