// The safety brake (SPEC §7, step 4): a plan that changes more blocks than expected, such as an
// emptied feed deleting everything, stops before any write unless --force. So does any write
// onto a server that holds no block managed by this list server yet: a first sync is reviewed
// with --dry-run, then run once with --force.
import type { SyncPlan } from "./plan.js";

export const MIN_MAX_CHANGES = 20;

export interface Brake {
  /** Creates + updates + deletes in the plan. */
  changes: number;
  limit: number;
  /** Whether the limit came from --max-changes or from the default rule. */
  limitFrom: "option" | "default";
  /** The plan exceeds the limit. */
  exceeded: boolean;
  /** The target has no block managed by this list server, and the plan writes something. */
  firstSync: boolean;
  /** The brake stops the run unless --force: `exceeded` or `firstSync`. */
  tripped: boolean;
  forced: boolean;
  /**
   * The plan only carries on one that passed the brake and was stopped by --max-wait, from the
   * same feed: the run goes on without braking again.
   */
  carriedOn?: boolean;
}

/** 20, or 10 % of the managed blocks, whichever is larger. */
export function defaultMaxChanges(managedBlocks: number): number {
  return Math.max(MIN_MAX_CHANGES, Math.floor(managedBlocks / 10));
}

export function checkBrake(plan: SyncPlan, maxChanges: number | undefined, force: boolean): Brake {
  // Marker-only writes (the upgrade, --adopt) change no block: they are not counted.
  const changes = plan.actions.filter((action) => action.kind !== "remark").length;
  const limit = maxChanges ?? defaultMaxChanges(plan.counts.managed);
  const exceeded = changes > limit;
  const firstSync = plan.counts.managed === 0 && changes > 0;
  return {
    changes,
    limit,
    limitFrom: maxChanges === undefined ? "default" : "option",
    exceeded,
    firstSync,
    tripped: exceeded || firstSync,
    forced: force,
  };
}
