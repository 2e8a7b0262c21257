// What the sync tells the admin: counts and one line per domain it changed or left alone, as
// text for the cron mail or, with --json, as one JSON document for machines.
import { describeFields, sameFields, type BlockFields } from "./block.js";
import type { ActionStatus } from "./apply.js";
import type { Brake } from "./brake.js";
import type { BroadAction, PlanCounts, PlanNote } from "./plan.js";
import type { ProtectedReport } from "./protect.js";
import type { ExitCode, SignalExitCode } from "./exit-codes.js";
import type { TargetKind } from "./targets/target.js";

/**
 * `applied`: at least one change went through and none failed; `skipped`: every planned change
 * was skipped, because the server already had a block for the domain or a parent (nothing was
 * written).
 */
export type Outcome =
  | "up_to_date"
  | "applied"
  | "skipped"
  | "partial"
  | "dry_run"
  | "brake"
  /** A create or stricter update on a public suffix awaits --allow-broad (exit 3). */
  | "broad"
  /** --adopt would take other blocks than its dry run listed (exit 3). */
  | "adopt_review"
  | "failed";

export interface ActionReport {
  domain: string;
  action: "create" | "update" | "delete" | "remark";
  status: ActionStatus | "planned";
  before?: BlockFields;
  after?: BlockFields;
  /** For a remark: an old marker upgraded, or a block adopted. */
  reason?: "upgrade" | "adopt";
  message?: string;
}

export interface SyncReport {
  outcome: Outcome;
  exitCode: ExitCode | SignalExitCode;
  server: string;
  target: { kind: TargetKind; url: string };
  dryRun: boolean;
  error?: { code: string; message: string };
  feed?: { entries: number; usable: number; source: "fetched" | "cached" };
  targetBlocks?: { total: number; managed: number };
  plan?: PlanCounts;
  brake?: Brake;
  results?: { applied: number; skipped: number; failed: number; notAttempted: number };
  actions: ActionReport[];
  notes: PlanNote[];
  /** Creates and stricter updates on public suffixes, and whether each is approved. */
  broad?: (BroadAction & { approved: boolean; message: string })[];
  /** The domains whose action failed in this run, and for how many runs in a row. */
  failing?: { domain: string; runs: number; message: string }[];
  /** --protect-follows: the feed's suspensions written as a silence, or held (docs/sync.md, section 4). */
  protectedFollows?: ProtectedReport[];
  /** Where the marker key is, and whether this run created it (back it up). */
  markerKey?: { file: string; created: boolean };
  /** Why the run stopped before the end of its plan, when it did. */
  stopped?: { reason: "max_wait" | "server_failure"; message: string };
  /** Things the admin should know that did not stop the run, e.g. a stale lock taken over. */
  warnings: string[];
}

export function formatJson(report: SyncReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const STATUS_WORD: Record<ActionReport["status"], string> = {
  planned: "",
  applied: "ok",
  skipped: "skipped",
  failed: "FAILED",
  not_attempted: "not attempted",
};

function describeAction(action: ActionReport): string {
  switch (action.action) {
    case "create":
      return describeFields(action.after!);
    case "update":
      return `${describeFields(action.before!)} → ${describeFields(action.after!)}${
        action.before!.public_comment !== action.after!.public_comment
          ? " (new public comment)"
          : ""
      }`;
    case "delete":
      return `was ${describeFields(action.before!)}; no longer on the list`;
    case "remark":
      return action.reason === "adopt"
        ? `${describeFields(action.before!)}; adopted (--adopt): marker only`
        : `${describeFields(action.before!)}; old marker upgraded to a keyed one: marker only`;
  }
}

function actionLine(action: ActionReport): string {
  const status = STATUS_WORD[action.status];
  const outcome = status === "" ? "" : ` [${status}${action.message ? `: ${action.message}` : ""}]`;
  return `  ${action.action.padEnd(6)}  ${action.domain}  ${describeAction(action)}${outcome}`;
}

function noteLine(note: PlanNote): string {
  switch (note.reason) {
    case "covered_by_parent":
      return `  ${note.domain}: not created, ${note.parent} is already blocked at least as strictly`;
    case "protected":
      return note.protects === note.domain
        ? `  ${note.domain}: never blocked, it is the target's or the list server's own domain`
        : `  ${note.domain}: never blocked, it would also block ${note.protects}`;
    case "hand_made":
      if (sameFields(note.current, note.wanted)) {
        return `  ${note.domain}: listed by hand (${describeFields(note.current)}) as the list wants it; it stays yours, the sync never changes or removes it`;
      }
      return `  ${note.domain}: blocked by hand (${describeFields(note.current)}), the list says ${describeFields(note.wanted)}; not changed`;
    case "edited":
      return note.wanted
        ? `  ${note.domain}: edited by an admin since the sync wrote it (${describeFields(note.current)}), the list says ${describeFields(note.wanted)}; not changed`
        : `  ${note.domain}: retracted from the list, but edited by an admin since the sync wrote it; not deleted`;
    case "kept":
      return `  ${note.domain}: retracted from the list; kept (--no-delete)`;
  }
}

function brakeText(report: SyncReport, brake: Brake): string {
  let why: string;
  if (brake.firstSync) {
    why = `this is a first sync onto this server: it has no blocks managed by this list server yet, and the plan makes ${brake.changes} ${brake.changes === 1 ? "change" : "changes"}`;
  } else {
    const rule =
      brake.limitFrom === "option"
        ? "--max-changes"
        : `the default: 20 or 10 % of the ${report.plan?.managed ?? 0} managed blocks`;
    why = `${brake.changes} changes, more than the limit of ${brake.limit} (${rule})`;
  }
  if (report.dryRun) {
    return `A real run would stop at the safety brake: ${why}. Review this plan, then run with --force.`;
  }
  const raise = brake.firstSync ? "" : " (or raise --max-changes)";
  return `Stopped at the safety brake before any write: ${why}. Review the plan with --dry-run, then run with --force${raise}.`;
}

export function formatHuman(report: SyncReport): string {
  const lines: string[] = [];
  const mode = report.dryRun ? " (dry run: nothing is written)" : "";
  lines.push(
    `fediblock sync: ${report.server} → ${report.target.kind} ${report.target.url}${mode}`,
  );
  if (report.feed) {
    const source = report.feed.source === "cached" ? "unchanged since the last run" : "fetched";
    const usable =
      report.feed.usable === report.feed.entries
        ? ""
        : `, ${report.feed.usable} of them suspensions this target can hold`;
    lines.push(`Feed: ${report.feed.entries} entries (${source})${usable}.`);
  }
  if (report.targetBlocks) {
    lines.push(
      `Target: ${report.targetBlocks.total} blocks, ${report.targetBlocks.managed} managed by this list server.`,
    );
  }
  if (report.plan) {
    const { create, update, delete: remove, unchanged, remark } = report.plan;
    const remarks = remark > 0 ? `, ${remark} marker-only` : "";
    lines.push(
      `Plan: ${create} to create, ${update} to update, ${remove} to delete, ${unchanged} unchanged${remarks}.`,
    );
  }
  for (const action of report.actions) lines.push(actionLine(action));
  for (const entry of report.protectedFollows ?? []) {
    const instead =
      entry.action === "silence" ? "silenced instead of suspended" : "held (not suspended)";
    const when = entry.measuredNow ? "" : ` since ${entry.recordedAt}`;
    lines.push(
      `Protected by --protect-follows ${entry.threshold}: ${entry.domain} ${instead}${when}: ${entry.follows} follows, ${entry.followers} followers (recorded in protect-follows.json).`,
    );
  }
  if (report.notes.length > 0) {
    lines.push("Left alone:");
    for (const note of report.notes) lines.push(noteLine(note));
  }
  const broad = report.broad?.filter((action) => !action.approved) ?? [];
  for (const action of broad) {
    lines.push(
      report.dryRun
        ? `A real run would stop here, even with --force: ${action.message}. If that is meant, run with --allow-broad ${action.domain}.`
        : `Stopped before any write, even with --force: ${action.message}. Review the plan with --dry-run; if that is meant, run with --allow-broad ${action.domain}.`,
    );
  }
  if (report.outcome === "adopt_review") {
    lines.push(
      "Stopped before any write: --adopt would take over other blocks than the last dry run listed. Run --dry-run --adopt again and review them.",
    );
  }
  if (report.brake?.carriedOn) {
    lines.push("Carrying on the plan a run stopped by --max-wait left (same feed): no brake.");
  }
  if (
    report.brake?.tripped &&
    !report.brake.forced &&
    !report.brake.carriedOn &&
    broad.length === 0
  )
    lines.push(brakeText(report, report.brake));
  if (report.results) {
    const { applied, skipped, failed, notAttempted } = report.results;
    lines.push(
      `Result: ${applied} applied, ${skipped} skipped, ${failed} failed, ${notAttempted} not attempted.`,
    );
  }
  if (report.markerKey?.created) {
    lines.push(
      `Created the marker key ${report.markerKey.file}: back it up with the state folder (docs/sync.md §3).`,
    );
  }
  for (const warning of report.warnings) lines.push(`Warning: ${warning}`);
  if (report.outcome === "up_to_date") lines.push("Nothing to change.");
  if (report.outcome === "skipped") {
    lines.push(
      "Nothing was changed: the server refused every block the plan would have created, as it already blocks the domain or a parent.",
    );
  }
  if (report.stopped?.reason === "max_wait") {
    lines.push(
      `Stopped by the waiting budget: ${report.stopped.message}. The plan is kept; the next run carries on with it.`,
    );
  }
  if (report.stopped?.reason === "server_failure") {
    lines.push(`Stopped early for a server-wide failure: ${report.stopped.message}.`);
  }
  if (report.failing && report.failing.length > 0) {
    lines.push("Failing:");
    for (const failure of report.failing) {
      const runs = failure.runs === 1 ? "this run" : `${failure.runs} runs in a row`;
      lines.push(`  ${failure.domain}: failed ${runs}: ${failure.message}`);
    }
  }
  if (report.outcome === "partial")
    lines.push("Some changes failed; the next run retries them (failed domains after the others).");
  return `${lines.join("\n")}\n`;
}
