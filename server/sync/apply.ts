// Carrying out a plan against the target, one request at a time (the HTTP client waits out rate
// limits and retries transient failures). Every action gets a result; a refused token stops the
// run at once. Failures of particular domains never stop the rest (ADR 0013): after a few in a
// row one cheap read asks whether the server itself is failing, and only then does the run
// stop, so a server that went away is not hammered. The run's waiting budget (--max-wait) also
// stops it.
import { sameFields, type TargetBlock } from "./block.js";
import { ConnectionError, HttpError, WaitBudgetError } from "./http.js";
import { parseMarker, sameMarker } from "./marker.js";
import type { SyncAction } from "./plan.js";
import type { Target } from "./targets/target.js";

export type ActionStatus = "applied" | "skipped" | "failed" | "not_attempted";

export interface ActionResult {
  action: SyncAction;
  status: ActionStatus;
  message?: string;
}

export interface ApplyOutcome {
  results: ActionResult[];
  /** Set when the target refused the token (401/403): the run stopped there. */
  refused?: HttpError;
  /** Set when the server failed an unrelated read too: the run stopped there. */
  serverWide?: string;
  /** Set when the run's waiting budget ran out: the run stopped there. */
  outOfTime?: string;
}

/** After this many failures in a row, the server is asked whether it is failing as a whole. */
export const MAX_FAILURES_IN_A_ROW = 3;
/**
 * This many different domains failing in a row stops the run even while the server answers
 * reads: its writes are failing, not a few domains.
 */
export const MAX_DOMAIN_FAILURES_IN_A_ROW = 10;

/** Whether the block the server already had is the one we meant to write: an earlier try went through. */
function isTheBlockWeMeant(
  action: SyncAction & { kind: "create" },
  existing: TargetBlock,
): boolean {
  const wanted = parseMarker(action.privateComment);
  const found = parseMarker(existing.private_comment);
  return (
    existing.domain === action.domain &&
    sameMarker(found, wanted) &&
    sameFields(existing, action.fields)
  );
}

async function applyAction(action: SyncAction, target: Target): Promise<ActionResult> {
  switch (action.kind) {
    case "create": {
      const result = await target.create(
        { domain: action.domain, ...action.fields },
        action.privateComment,
      );
      if (result.created) return { action, status: "applied" };
      if (result.existing && isTheBlockWeMeant(action, result.existing)) {
        return {
          action,
          status: "applied",
          message: "already there: an earlier attempt went through",
        };
      }
      return { action, status: "skipped", message: result.message };
    }
    case "update":
      await target.update(action.id, action.fields, action.privateComment);
      return { action, status: "applied" };
    case "remark":
      await target.remark(action.id, action.privateComment, action.before);
      return { action, status: "applied" };
    case "delete":
      // Its uncovered children follow at once: keep the rate limit's room for all of them.
      if (action.uncovers) await target.reserve(1 + action.uncovers.length);
      try {
        await target.remove(action.id);
      } catch (error) {
        if (error instanceof HttpError && error.status === 404) {
          return { action, status: "applied", message: "already gone" };
        }
        throw error;
      }
      return { action, status: "applied" };
  }
}

export async function applyPlan(
  actions: readonly SyncAction[],
  target: Target,
): Promise<ApplyOutcome> {
  const results: ActionResult[] = [];
  const outcome: Omit<ApplyOutcome, "results"> = {};
  let failuresInARow = 0;
  let unansweredInARow = 0;
  let stopped: string | undefined;
  for (const action of actions) {
    if (stopped !== undefined) {
      results.push({ action, status: "not_attempted", message: stopped });
      continue;
    }
    try {
      results.push(await applyAction(action, target));
      failuresInARow = 0;
      unansweredInARow = 0;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof WaitBudgetError) {
        outcome.outOfTime = message;
        stopped = "not attempted: the run's waiting budget (--max-wait) ran out";
        results.push({ action, status: "not_attempted", message: stopped });
        continue;
      }
      results.push({ action, status: "failed", message });
      if (error instanceof HttpError && error.refusedCredentials) {
        outcome.refused = error;
        stopped = "not attempted: the target refused the token";
        continue;
      }
      failuresInARow++;
      unansweredInARow = error instanceof ConnectionError ? unansweredInARow + 1 : 0;
      if (unansweredInARow >= MAX_FAILURES_IN_A_ROW) {
        // No answer at all, for different domains: the server or the network is down.
        outcome.serverWide = `${MAX_FAILURES_IN_A_ROW} requests in a row got no answer`;
      } else if (failuresInARow >= MAX_DOMAIN_FAILURES_IN_A_ROW) {
        outcome.serverWide = `${MAX_DOMAIN_FAILURES_IN_A_ROW} different domains failed in a row`;
      } else if (failuresInARow % MAX_FAILURES_IN_A_ROW === 0) {
        const down = await serverFailure(target);
        if (down !== null) {
          outcome.serverWide = `${failuresInARow} failures in a row, and an unrelated read failed too (${down})`;
        }
      }
      if (outcome.serverWide !== undefined) {
        stopped = `not attempted: the server itself is failing (${outcome.serverWide})`;
      }
    }
  }
  return { results, ...outcome };
}

/** Null when the server answers an unrelated read; otherwise why it did not. */
async function serverFailure(target: Target): Promise<string | null> {
  try {
    await target.probe();
    return null;
  } catch (error) {
    if (error instanceof HttpError && error.status < 500 && !error.refusedCredentials) return null;
    return error instanceof Error ? error.message : String(error);
  }
}
