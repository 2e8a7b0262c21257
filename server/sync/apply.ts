// Carrying out a plan against the target, one request at a time (the HTTP client waits out rate
// limits and retries transient failures). Every action gets a result; a refused token stops the
// run at once, and so do repeated failures, so a server that went away is not hammered.
import { sameFields, type TargetBlock } from "./block.js";
import { HttpError } from "./http.js";
import { parseMarker } from "./marker.js";
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
}

export const MAX_FAILURES_IN_A_ROW = 3;

/** Whether the block the server already had is the one we meant to write: an earlier try went through. */
function isTheBlockWeMeant(
  action: SyncAction & { kind: "create" },
  existing: TargetBlock,
): boolean {
  const wanted = parseMarker(action.privateComment);
  const found = parseMarker(existing.private_comment);
  return (
    existing.domain === action.domain &&
    found?.serverHost === wanted?.serverHost &&
    found?.hash === wanted?.hash &&
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
    case "delete":
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
  let refused: HttpError | undefined;
  let failuresInARow = 0;
  let stopped: string | undefined;
  for (const action of actions) {
    if (stopped !== undefined) {
      results.push({ action, status: "not_attempted", message: stopped });
      continue;
    }
    try {
      results.push(await applyAction(action, target));
      failuresInARow = 0;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push({ action, status: "failed", message });
      if (error instanceof HttpError && error.refusedCredentials) {
        refused = error;
        stopped = "not attempted: the target refused the token";
      } else if (++failuresInARow >= MAX_FAILURES_IN_A_ROW) {
        stopped = `not attempted: stopped after ${MAX_FAILURES_IN_A_ROW} failures in a row`;
      }
    }
  }
  return refused ? { results, refused } : { results };
}
