// One sync, start to end (SPEC §7): lock, feed, target's blocks, plan, brake, apply, report.
// While the lock is held, SIGINT and SIGTERM release it and end the run (exit 130 or 143).
import { createHash } from "node:crypto";
import { applyPlan, type ActionResult } from "./apply.js";
import type { TargetBlock } from "./block.js";
import { checkBrake } from "./brake.js";
import { authFailure, configFailure, SyncFailure, targetFailure } from "./errors.js";
import { EXIT, SIGNAL_EXIT, type ExitCode, type SignalExitCode } from "./exit-codes.js";
import { loadFeed } from "./feed.js";
import { HttpClient, HttpError, WaitBudget, type HttpSettings } from "./http.js";
import { parseMarker } from "./marker.js";
import {
  createMarkerKey,
  ephemeralMarkerKey,
  loadMarkerKey,
  MarkerKeyError,
  type MarkerKey,
} from "./marker-key.js";
import {
  actionKey,
  clearPendingPlan,
  continuesPending,
  failedLast,
  nextFailures,
  readFailures,
  readPendingPlan,
  savePendingPlan,
  writeFailures,
} from "./progress.js";
import { measureRelationships, protectFollows } from "./protect.js";
import { describeReach, readApprovals, recordApprovals, unapproved } from "./reach.js";
import { BodyTooLargeError } from "./transport.js";
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
import { prepareStateDir, readState, STATE_FILES, stateDirFor, writeState } from "./state.js";
import { connectTarget } from "./targets/connect.js";
import type { Target, TargetKind } from "./targets/target.js";

export interface SyncIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Timeouts, retries and delays; tests shorten them. */
  http?: Partial<HttpSettings>;
  /** The lock's heartbeat and staleness; tests shorten them. */
  lock?: Partial<LockSettings>;
}

const DEFAULT_MAX_WAIT_MS = 300_000;

const SCOPES_HINTS: Record<TargetKind, string> = {
  mastodon:
    "the token needs the admin:read:domain_blocks and admin:write:domain_blocks scopes, and its account a role that may Manage Federation",
  gotosocial:
    "the token needs the admin:read:domain_blocks and admin:write:domain_blocks scopes, and its account a role that may Manage Federation",
  misskey:
    "the token needs the read:admin:meta and write:admin:meta permissions, and its account an administrator role",
  akkoma: "the token needs the admin:read and admin:write scopes, and its account must be an admin",
  lemmy: "the JWT must be a current login of an admin account",
};

function planned(action: SyncAction): ActionReport {
  const report: ActionReport = { domain: action.domain, action: action.kind, status: "planned" };
  if (action.kind !== "create") report.before = action.before;
  if (action.kind === "create" || action.kind === "update") report.after = action.fields;
  if (action.kind === "remark") report.reason = action.reason;
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
    // A target that finds its server set up so that it cannot sync says so itself (exit 2).
    if (error instanceof SyncFailure) throw error;
    if (error instanceof BodyTooLargeError) {
      throw new SyncFailure(
        EXIT.feed,
        "too_large",
        `a page of the target's domain blocks is too large (${error.message}); nothing was written`,
        { cause: error },
      );
    }
    if (error instanceof HttpError && error.refusedCredentials) {
      throw authFailure(
        `the target refused the token (${error.message}); ${SCOPES_HINTS[target.kind]}`,
        error,
      );
    }
    throw targetFailure(
      `could not read the target's domain blocks: ${(error as Error).message}`,
      error,
    );
  }
}

interface MarkerState {
  /** When the one-time upgrade from unkeyed markers was completed. */
  upgradedAt?: string;
}

interface AdoptReview {
  /** `id domain` of each block the dry run with --adopt listed. */
  adopt: string[];
  reviewedAt: string;
}

/**
 * The marker key: the kept one, or a new one when the target carries no keyed marker of this
 * list server (a first run, or the upgrade). With keyed markers and no key, stop (exit 2)
 * unless --adopt: minting a key silently would turn every managed block into an edited one.
 */
function markerKeyFor(
  options: SyncOptions,
  stateDir: string,
  blocks: readonly TargetBlock[],
): { key: MarkerKey; created: boolean } {
  let key: MarkerKey | null;
  try {
    key = loadMarkerKey(stateDir, options.markerKeyFile);
  } catch (error) {
    if (error instanceof MarkerKeyError) throw configFailure(error.message);
    throw error;
  }
  if (key) return { key, created: false };
  const keyed = blocks.filter((block) => {
    const marker = parseMarker(block.private_comment);
    return marker?.version === "k1" && marker.serverHost === options.server.host;
  });
  if (keyed.length > 0 && !options.adopt) {
    const where = options.markerKeyFile ?? `${stateDir}/${STATE_FILES.markerKey}`;
    throw new SyncFailure(
      EXIT.config,
      "marker_key_missing",
      `the target carries ${keyed.length} blocks with keyed markers of ${options.server.host}, but there is no marker key at ${where}. ` +
        "Restore the key (marker.key from a backup of the state folder, or --marker-key-file); " +
        "or, if it is lost, review what would be taken over with --dry-run --adopt, then run with --adopt. " +
        "A new key is never created while keyed markers exist: it would verify none of them.",
    );
  }
  if (options.dryRun)
    return { key: ephemeralMarkerKey(stateDir, options.markerKeyFile), created: true };
  return { key: createMarkerKey(stateDir, options.markerKeyFile), created: true };
}

function feedDigest(entries: unknown): string {
  return createHash("sha256").update(JSON.stringify(entries)).digest("hex");
}

async function syncLocked(
  options: SyncOptions,
  io: SyncIo,
  report: SyncReport,
  stateDir: string,
): Promise<ExitCode> {
  const budget = new WaitBudget(options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
  const http: Partial<HttpSettings> = {
    onWait: (ms, reason) => {
      if (ms >= 1000) io.stderr(`waiting ${Math.ceil(ms / 1000)} s: ${reason}\n`);
    },
    budget,
    ...io.http,
  };
  const feed = await loadFeed(options.server, options.token, stateDir, new HttpClient(http));
  const target = connectTarget(
    options.target,
    options.targetUrl,
    options.targetToken,
    new HttpClient(http),
    { dir: stateDir, readOnly: options.dryRun },
  );
  const desired = target.desiredFrom(feed.entries);
  const digest = feedDigest(feed.entries);
  report.feed = { entries: feed.entries.length, usable: desired.length, source: feed.source };
  if (feed.subscriptions === 0) {
    report.warnings.push(
      `your instance subscribes to no list on ${options.server.host}, so its feed is empty: subscribe in the web UI (Subscriptions); until then every block this sync made is a retraction`,
    );
  }

  const { blocks, own } = await readTarget(target);
  const { key, created } = markerKeyFor(options, stateDir, blocks);
  report.markerKey = { file: key.file, created: created && !options.dryRun };
  const markerState = readState<MarkerState>(stateDir, STATE_FILES.markers, {});
  const context = {
    serverHost: options.server.host,
    marker: { key: key.key, targetHost: options.targetUrl.host, serverHost: options.server.host },
    acceptLegacy: markerState.upgradedAt === undefined,
    adopt: options.adopt ?? false,
    protectedDomains: [...new Set([options.targetUrl.hostname, ...own, options.server.hostname])],
    deleteRetracted: options.deleteRetracted,
    covers: target.covers?.bind(target),
    ledger: target.usesLedger ?? false,
  };
  let entries = desired;
  let unmeasured: { outOfTime?: string; actions: string[] } = { actions: [] };
  if (options.protectFollows !== undefined) {
    // --protect-follows: measured before the brake, so the brake and the dry run see the result.
    const measureHttp = new HttpClient(http);
    const now = new Date();
    const protection = await protectFollows(
      desired,
      blocks,
      (shaped) => planSync(shaped, blocks, context).actions,
      {
        threshold: options.protectFollows,
        action: options.protectFollowsAction ?? "silence",
        stateDir,
        dryRun: options.dryRun,
        now,
        measure: (domain) =>
          measureRelationships(measureHttp, options.targetUrl, options.targetToken, domain, now),
      },
    );
    entries = protection.desired;
    report.protectedFollows = protection.report;
    if (protection.outOfTime !== undefined) {
      unmeasured = { outOfTime: protection.outOfTime, actions: protection.unmeasured };
      report.warnings.push(
        `--protect-follows: the waiting budget ran out before ${protection.unmeasured.length} suspensions were measured; they are held this run, and the next run measures them`,
      );
    }
  }
  const plan = planSync(entries, blocks, context);
  const failures = readFailures(stateDir);
  const actions = failedLast(plan.actions, failures);
  const brake = checkBrake(plan, options.maxChanges, options.force);
  report.targetBlocks = { total: blocks.length, managed: plan.counts.managed };
  report.warnings.push(...(target.warnings?.() ?? []));
  report.plan = plan.counts;
  report.notes = plan.notes;
  report.brake = brake;

  // Reach: public suffixes need --allow-broad, whatever --force says.
  const allowed = options.allowBroad ?? [];
  const approvals = readApprovals(stateDir);
  const broad = unapproved(plan.broad, approvals, allowed);
  report.broad = plan.broad.map((action) => ({
    ...action,
    approved: !broad.includes(action),
    message: describeReach(action),
  }));

  // --adopt takes only what its dry run listed.
  const adoptions = actions
    .filter((action) => action.kind === "remark" && action.reason === "adopt")
    .map((action) => `${(action as { id: string }).id} ${action.domain}`)
    .sort();

  if (options.dryRun) {
    report.actions = actions.map(planned);
    report.outcome = "dry_run";
    if (options.adopt) {
      writeState(stateDir, STATE_FILES.reviews, {
        adopt: adoptions,
        reviewedAt: new Date().toISOString(),
      } satisfies AdoptReview);
    }
    return EXIT.ok;
  }
  if (plan.actions.length === 0) {
    report.outcome = "up_to_date";
    finishUpgrade(stateDir, markerState, []);
    return EXIT.ok;
  }
  if (broad.length > 0) {
    report.actions = actions.map(planned);
    report.outcome = "broad";
    return EXIT.brake;
  }
  if (options.adopt && adoptions.length > 0) {
    const review = readState<AdoptReview | null>(stateDir, STATE_FILES.reviews, null);
    if (!review || JSON.stringify(review.adopt) !== JSON.stringify(adoptions)) {
      report.actions = actions.map(planned);
      report.outcome = "adopt_review";
      return EXIT.brake;
    }
  }
  if (brake.tripped && !brake.forced) {
    if (continuesPending(readPendingPlan(stateDir), digest, plan.actions)) {
      brake.carriedOn = true;
    } else {
      report.actions = actions.map(planned);
      report.outcome = "brake";
      return EXIT.brake;
    }
  }
  if (allowed.length > 0) recordApprovals(stateDir, allowed, new Date());

  const outcome = await applyPlan(actions, target);
  report.actions = outcome.results.map(reported);
  const count = (status: ActionResult["status"]) =>
    outcome.results.filter((result) => result.status === status).length;
  report.results = {
    applied: count("applied"),
    skipped: count("skipped"),
    failed: count("failed"),
    notAttempted: count("not_attempted"),
  };
  const now = new Date();
  const remembered = nextFailures(failures, outcome.results, now);
  writeFailures(stateDir, remembered);
  report.failing = outcome.results
    .filter((result) => result.status === "failed")
    .map((result) => ({
      domain: result.action.domain,
      runs: remembered[result.action.domain]?.runs ?? 1,
      message: result.message ?? "failed",
    }));
  finishUpgrade(stateDir, markerState, outcome.results);
  if (options.adopt) writeState(stateDir, STATE_FILES.reviews, {});
  const outOfTime = outcome.outOfTime ?? unmeasured.outOfTime;
  if (outOfTime) {
    savePendingPlan(stateDir, {
      feedDigest: digest,
      savedAt: now.toISOString(),
      actions: [...plan.actions.map(actionKey), ...unmeasured.actions],
    });
    report.stopped = { reason: "max_wait", message: outOfTime };
  } else {
    clearPendingPlan(stateDir);
  }
  if (outcome.serverWide)
    report.stopped = { reason: "server_failure", message: outcome.serverWide };
  if (outcome.refused) {
    throw authFailure(
      `the target refused the token for a write (${outcome.refused.message}); ${SCOPES_HINTS[target.kind]}`,
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

/** Once every old marker was rewritten, old markers count as hand-made (ADR 0012). */
function finishUpgrade(
  stateDir: string,
  state: MarkerState,
  results: readonly ActionResult[],
): void {
  if (state.upgradedAt !== undefined) return;
  const pending = results.some(
    (result) =>
      result.action.kind === "remark" &&
      result.action.reason === "upgrade" &&
      result.status !== "applied",
  );
  if (!pending) writeState(stateDir, STATE_FILES.markers, { upgradedAt: new Date().toISOString() });
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
