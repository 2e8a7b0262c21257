// One sync, start to end (SPEC §7): lock, feed, target's blocks, plan, brake, apply, report.
// While the lock is held, SIGINT and SIGTERM release it and end the run (exit 130 or 143).
import { applyPlan, type ActionResult } from "./apply.js";
import type { TargetBlock } from "./block.js";
import { checkBrake } from "./brake.js";
import { authFailure, configFailure, SyncFailure, targetFailure } from "./errors.js";
import { EXIT, SIGNAL_EXIT, type ExitCode, type SignalExitCode } from "./exit-codes.js";
import { loadFeed } from "./feed.js";
import { HttpClient, HttpError, type HttpSettings } from "./http.js";
import type { SyncOptions } from "./options.js";
import { planSync, type SyncAction } from "./plan.js";
import { formatHuman, formatJson, type ActionReport, type SyncReport } from "./report.js";
import {
  acquireLock,
  type LockHolder,
  type LockResult,
  type LockSettings,
  type TakeOver,
} from "./lock.js";
import { prepareStateDir, stateDirFor } from "./state.js";
import { connectTarget } from "./targets/connect.js";
import type { Target } from "./targets/target.js";

export interface SyncIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Timeouts, retries and delays; tests shorten them. */
  http?: Partial<HttpSettings>;
  /** The lock's heartbeat and staleness; tests shorten them. */
  lock?: Partial<LockSettings>;
}

const SCOPES_HINT =
  "the token needs the admin:read:domain_blocks and admin:write:domain_blocks scopes, and its account a role that may Manage Federation";

function planned(action: SyncAction): ActionReport {
  const report: ActionReport = { domain: action.domain, action: action.kind, status: "planned" };
  if (action.kind !== "create") report.before = action.before;
  if (action.kind !== "delete") report.after = action.fields;
  return report;
}

function reported(result: ActionResult): ActionReport {
  const report = { ...planned(result.action), status: result.status };
  return result.message === undefined ? report : { ...report, message: result.message };
}

function describeHolder(holder: LockHolder): string {
  return `pid ${holder.pid} on ${holder.hostname}, started ${holder.startedAt}`;
}

function lockHeldMessage(lock: LockResult & { acquired: false }): string {
  const who = lock.holder ? describeHolder(lock.holder) : "a run that is starting";
  const refreshed = lock.refreshedAt ? `, last refreshed ${lock.refreshedAt.toISOString()}` : "";
  return `another sync for this list server and target is running (${who}${refreshed}); lock: ${lock.file}`;
}

function takeOverWarning(takeOver: TakeOver, file: string): string {
  const whose = takeOver.holder ? describeHolder(takeOver.holder) : "holder unknown";
  return `took over a stale lock (${whose}): ${takeOver.reason}; lock: ${file}`;
}

/** Until the returned function is called, SIGINT and SIGTERM call `stop` instead of killing. */
function onSignals(stop: (signal: keyof typeof SIGNAL_EXIT) => void): () => void {
  const removers = (Object.keys(SIGNAL_EXIT) as (keyof typeof SIGNAL_EXIT)[]).map((signal) => {
    const handler = () => stop(signal);
    process.once(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => removers.forEach((remove) => remove());
}

async function readTarget(target: Target): Promise<{ blocks: TargetBlock[]; own: string[] }> {
  try {
    const blocks = await target.listBlocks();
    return { blocks, own: await target.instanceDomains() };
  } catch (error) {
    if (error instanceof HttpError && error.refusedCredentials) {
      throw authFailure(`the target refused the token (${error.message}); ${SCOPES_HINT}`, error);
    }
    throw targetFailure(
      `could not read the target's domain blocks: ${(error as Error).message}`,
      error,
    );
  }
}

async function syncLocked(
  options: SyncOptions,
  io: SyncIo,
  report: SyncReport,
  stateDir: string,
): Promise<ExitCode> {
  const http: Partial<HttpSettings> = {
    onWait: (ms, reason) => {
      if (ms >= 1000) io.stderr(`waiting ${Math.ceil(ms / 1000)} s: ${reason}\n`);
    },
    ...io.http,
  };
  const feed = await loadFeed(options.server, options.token, stateDir, new HttpClient(http));
  const target = connectTarget(
    options.target,
    options.targetUrl,
    options.targetToken,
    new HttpClient(http),
  );
  const desired = target.desiredFrom(feed.entries);
  report.feed = { entries: feed.entries.length, usable: desired.length, source: feed.source };

  const { blocks, own } = await readTarget(target);
  const plan = planSync(desired, blocks, {
    serverHost: options.server.host,
    protectedDomains: [...new Set([options.targetUrl.hostname, ...own, options.server.hostname])],
    deleteRetracted: options.deleteRetracted,
  });
  const brake = checkBrake(plan, options.maxChanges, options.force);
  report.targetBlocks = { total: blocks.length, managed: plan.counts.managed };
  report.plan = plan.counts;
  report.notes = plan.notes;
  report.brake = brake;

  if (options.dryRun) {
    report.actions = plan.actions.map(planned);
    report.outcome = "dry_run";
    return EXIT.ok;
  }
  if (plan.actions.length === 0) {
    report.outcome = "up_to_date";
    return EXIT.ok;
  }
  if (brake.tripped && !brake.forced) {
    report.actions = plan.actions.map(planned);
    report.outcome = "brake";
    return EXIT.brake;
  }

  const outcome = await applyPlan(plan.actions, target);
  report.actions = outcome.results.map(reported);
  const count = (status: ActionResult["status"]) =>
    outcome.results.filter((result) => result.status === status).length;
  report.results = {
    applied: count("applied"),
    skipped: count("skipped"),
    failed: count("failed"),
    notAttempted: count("not_attempted"),
  };
  if (outcome.refused) {
    throw authFailure(
      `the target refused the token for a write (${outcome.refused.message}); ${SCOPES_HINT}`,
    );
  }
  if (report.results.failed + report.results.notAttempted > 0) {
    report.outcome = "partial";
    return EXIT.partial;
  }
  // Skipped actions are not failures (the server already had what was asked, or more), but a
  // run in which nothing went through did not apply anything.
  report.outcome = report.results.applied > 0 ? "applied" : "skipped";
  return EXIT.ok;
}

async function sync(options: SyncOptions, io: SyncIo, report: SyncReport): Promise<ExitCode> {
  const stateDir = stateDirFor(options.stateDir, options);
  try {
    prepareStateDir(stateDir);
  } catch (error) {
    throw configFailure(
      `cannot create the state directory ${stateDir}: ${(error as Error).message}`,
    );
  }
  const lock = acquireLock(stateDir, io.lock);
  if (!lock.acquired) throw new SyncFailure(EXIT.locked, "locked", lockHeldMessage(lock));
  if (lock.tookOver) report.warnings.push(takeOverWarning(lock.tookOver, lock.file));
  const removeHandlers = onSignals((signal) => {
    lock.release();
    const message = `stopped by ${signal}; the lock is released, and the next run picks up where this one stopped`;
    fail(report, new SyncFailure(SIGNAL_EXIT[signal], "interrupted", message));
    emit(report, options, io);
    process.exit(report.exitCode);
  });
  try {
    return await syncLocked(options, io, report, stateDir);
  } finally {
    removeHandlers();
    lock.release();
  }
}

function fail(report: SyncReport, failure: SyncFailure): void {
  report.outcome = "failed";
  report.exitCode = failure.exitCode;
  report.error = { code: failure.code, message: failure.message };
}

function emit(report: SyncReport, options: SyncOptions, io: SyncIo): void {
  if (options.json) io.stdout(formatJson(report));
  else if (report.feed) io.stdout(formatHuman(report));
  else for (const warning of report.warnings) io.stderr(`fediblock sync: warning: ${warning}\n`);
  if (report.error) io.stderr(`fediblock sync: ${report.error.message}\n`);
}

/** Runs one sync and reports it; answers the exit code. */
export async function runSync(
  options: SyncOptions,
  io: SyncIo,
): Promise<ExitCode | SignalExitCode> {
  const report: SyncReport = {
    outcome: "failed",
    exitCode: EXIT.ok,
    server: options.server.href,
    target: { kind: options.target, url: options.targetUrl.href },
    dryRun: options.dryRun,
    actions: [],
    notes: [],
    warnings: [],
  };
  try {
    report.exitCode = await sync(options, io, report);
  } catch (error) {
    fail(
      report,
      error instanceof SyncFailure
        ? error
        : new SyncFailure(EXIT.partial, "unexpected", (error as Error).message ?? String(error)),
    );
  }
  emit(report, options, io);
  return report.exitCode;
}
