// Progress on every run (ADR 0013): the domains whose action failed are remembered in the state
// folder with how many runs in a row they failed, and tried after the others next time, so a
// few domains that always fail never hold back the rest. A run stopped by its waiting budget
// (--max-wait) keeps the plan it reviewed, and the next run carries on with it without braking
// again while the feed is unchanged.
import type { ActionResult } from "./apply.js";
import type { SyncAction } from "./plan.js";
import { readState, removeState, STATE_FILES, writeState } from "./state.js";

export interface Failure {
  /** Runs in a row in which this domain's action failed. */
  runs: number;
  lastError: string;
  /** When it first failed, in this streak. */
  since: string;
}

export type Failures = Record<string, Failure>;

export function readFailures(stateDir: string): Failures {
  const raw = readState<unknown>(stateDir, STATE_FILES.failures, {});
  return raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Failures) : {};
}

/** Failed actions count one more run; applied or skipped ones are forgotten; others stay. */
export function nextFailures(
  previous: Failures,
  results: readonly ActionResult[],
  now: Date,
): Failures {
  const next: Failures = { ...previous };
  for (const { action, status, message } of results) {
    if (status === "failed") {
      const before = previous[action.domain];
      next[action.domain] = {
        runs: (before?.runs ?? 0) + 1,
        lastError: message ?? "failed",
        since: before?.since ?? now.toISOString(),
      };
    } else if (status === "applied" || status === "skipped") {
      delete next[action.domain];
    }
  }
  return next;
}

export function writeFailures(stateDir: string, failures: Failures): void {
  if (Object.keys(failures).length === 0) removeState(stateDir, STATE_FILES.failures);
  else writeState(stateDir, STATE_FILES.failures, failures);
}

/**
 * The plan's actions with those of domains that failed before moved to the end (fewest failed
 * runs first), keeping the plan's order otherwise. A deletion and the creates it uncovers move
 * together, so the children still follow their parent's deletion at once.
 */
export function failedLast(actions: readonly SyncAction[], failures: Failures): SyncAction[] {
  const units: SyncAction[][] = [];
  let open: { parent: string; left: Set<string> } | null = null;
  for (const action of actions) {
    if (open && action.kind === "create" && open.left.delete(action.domain)) {
      units.at(-1)!.push(action);
      if (open.left.size === 0) open = null;
      continue;
    }
    open =
      action.kind === "delete" && action.uncovers?.length
        ? { parent: action.domain, left: new Set(action.uncovers) }
        : null;
    units.push([action]);
  }
  const runsOf = (unit: SyncAction[]) =>
    Math.max(0, ...unit.map((action) => failures[action.domain]?.runs ?? 0));
  return units
    .map((unit, index) => ({ unit, index, runs: runsOf(unit) }))
    .sort((a, b) => a.runs - b.runs || a.index - b.index)
    .flatMap(({ unit }) => unit);
}

/** A plan that passed the brake (or --force) and was stopped by --max-wait. */
export interface PendingPlan {
  /** The feed it was planned from: the plan carries on only while the feed is unchanged. */
  feedDigest: string;
  savedAt: string;
  /** `kind domain` of every action it holds. */
  actions: string[];
}

export function actionKey(action: SyncAction): string {
  return `${action.kind} ${action.domain}`;
}

export function readPendingPlan(stateDir: string): PendingPlan | null {
  const raw = readState<PendingPlan | null>(stateDir, STATE_FILES.pendingPlan, null);
  return raw && typeof raw.feedDigest === "string" && Array.isArray(raw.actions) ? raw : null;
}

export function savePendingPlan(stateDir: string, plan: PendingPlan): void {
  writeState(stateDir, STATE_FILES.pendingPlan, plan);
}

export function clearPendingPlan(stateDir: string): void {
  removeState(stateDir, STATE_FILES.pendingPlan);
}

/**
 * Whether a new plan only carries on a pending one: same feed, and every action already in it
 * (what is left of it after the writes that went through). Then the brake was already passed.
 */
export function continuesPending(
  pending: PendingPlan | null,
  feedDigest: string,
  actions: readonly SyncAction[],
): boolean {
  if (!pending || pending.feedDigest !== feedDigest) return false;
  const held = new Set(pending.actions);
  return actions.every((action) => held.has(actionKey(action)));
}
