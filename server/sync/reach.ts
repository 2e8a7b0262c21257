// Reach, not only count (ADR 0013): a block on a bare TLD or a public suffix (`com`, `co.uk`,
// `github.io`) reaches every unrelated registrant under it, and a suspension severs follows and
// deletes cached accounts and media for good. Creating or upgrading one stops the run once, even
// with --force (exit 3), until the operator approves that domain with --allow-broad after a dry
// run; the approval is kept in the state folder, so later runs proceed.
import type { BroadAction } from "./plan.js";
import { readState, STATE_FILES, writeState } from "./state.js";

export type Approvals = Record<string, { approvedAt: string }>;

export function readApprovals(stateDir: string): Approvals {
  const raw = readState<unknown>(stateDir, STATE_FILES.allowBroad, {});
  return raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Approvals) : {};
}

/** Adds `domains` to the approvals kept in the state folder; answers the new set. */
export function recordApprovals(
  stateDir: string,
  domains: readonly string[],
  now: Date,
): Approvals {
  const approvals = readApprovals(stateDir);
  let changed = false;
  for (const domain of domains) {
    if (approvals[domain]) continue;
    approvals[domain] = { approvedAt: now.toISOString() };
    changed = true;
  }
  if (changed) writeState(stateDir, STATE_FILES.allowBroad, approvals);
  return approvals;
}

/** The broad actions neither kept approvals nor this run's --allow-broad cover. */
export function unapproved(
  broad: readonly BroadAction[],
  approvals: Approvals,
  allowed: readonly string[],
): BroadAction[] {
  return broad.filter((action) => !approvals[action.domain] && !allowed.includes(action.domain));
}

export function describeReach(action: BroadAction): string {
  const verb = action.kind === "create" ? "creates" : "makes stricter";
  const under =
    action.reaches === 0 ? "" : `, ${action.reaches} of them on this list or this server`;
  return `${action.domain} is a public suffix: the plan ${verb} a ${action.fields.severity} block on it, which reaches every domain under .${action.domain} (anything.${action.domain}${under})`;
}
