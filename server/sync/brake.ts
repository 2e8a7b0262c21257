// The safety brake (SPEC §7, step 4): a plan that changes more blocks than expected, such as an
// emptied feed deleting everything, stops before any write unless --force.
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
  forced: boolean;
}

/** 20, or 10 % of the managed blocks, whichever is larger. */
export function defaultMaxChanges(managedBlocks: number): number {
  return Math.max(MIN_MAX_CHANGES, Math.floor(managedBlocks / 10));
}

export function checkBrake(plan: SyncPlan, maxChanges: number | undefined, force: boolean): Brake {
  const changes = plan.actions.length;
  const limit = maxChanges ?? defaultMaxChanges(plan.counts.managed);
  return {
    changes,
    limit,
    limitFrom: maxChanges === undefined ? "default" : "option",
    exceeded: changes > limit,
    forced: force,
  };
}
