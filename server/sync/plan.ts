// What a sync would change, decided without any I/O: which blocks to create, update and delete,
// and why the others are left alone (SPEC §7, step 3).
import {
  atLeastAsStrict,
  blockFields,
  covers,
  sameFields,
  type BlockFields,
  type DesiredBlock,
  type TargetBlock,
} from "./block.js";
import {
  markPrivateComment,
  parseMarker,
  verifiesKeyed,
  verifiesLegacy,
  type MarkerScope,
} from "./marker.js";
import { parentDomains } from "../domains/normalize.js";
import { isPublicSuffix } from "../domains/public-suffix.js";

export interface PlanContext {
  /** The list server's host, as it appears in the marker. */
  serverHost: string;
  /** The key, target host and server host the keyed marker is computed for (ADR 0012). */
  marker: MarkerScope;
  /**
   * True until the one-time upgrade from the unkeyed marker is done: an old marker that verifies
   * is rewritten (a `remark`); afterwards old markers count as hand-made.
   */
  acceptLegacy?: boolean;
  /** --adopt: blocks carrying this list server's marker that does not verify are taken over. */
  adopt?: boolean;
  /** Domains never to block: the target's own, the list server's. Their parents neither. */
  protectedDomains: readonly string[];
  /** False with --no-delete: managed blocks gone from the feed stay. */
  deleteRetracted: boolean;
  /**
   * Whether a parent domain's block on the target already covers a subdomain's `child` block;
   * Mastodon's rule (`covers`) unless the target says otherwise (Lemmy: never, exact hosts).
   */
  covers?: (parent: BlockFields, child: BlockFields) => boolean;
  /**
   * The target keeps no per-block comment, ownership comes from the ledger (ADR 0016): a host
   * listed by hand just as the feed wants it is reported too, and with --adopt it is taken over.
   */
  ledger?: boolean;
}

export type SyncAction =
  | { kind: "create"; domain: string; fields: BlockFields; privateComment: string }
  | {
      kind: "update";
      domain: string;
      id: string;
      before: BlockFields;
      fields: BlockFields;
      privateComment: string;
    }
  | {
      kind: "delete";
      domain: string;
      id: string;
      before: BlockFields;
      /** Subdomains whose creates this deletion uncovers: they are sent right after it. */
      uncovers?: string[];
    }
  /**
   * A marker-only write: the block stays as it is and gets a keyed marker, upgrading an old
   * marker (`upgrade`) or taking over a block with --adopt (`adopt`). Exempt from the brake.
   */
  | {
      kind: "remark";
      domain: string;
      id: string;
      before: BlockFields;
      privateComment: string;
      reason: "upgrade" | "adopt";
    };

/** A create or a stricter update on a public suffix: it reaches every registrant under it. */
export interface BroadAction {
  domain: string;
  kind: "create" | "update";
  fields: BlockFields;
  /** The feed's and the target's domains under it, which the block would reach. */
  reaches: number;
}

export type PlanNote =
  /** A parent domain's block already restricts the domain at least as much. */
  | { reason: "covered_by_parent"; domain: string; wanted: BlockFields; parent: string }
  /** The domain is, or is a parent of, the target's own domain or the list server's. */
  | { reason: "protected"; domain: string; wanted: BlockFields; protects: string }
  /** Blocked by hand, differently from the list (on a ledger target, or alike): never changed. */
  | { reason: "hand_made"; domain: string; wanted: BlockFields; current: BlockFields }
  /** Written by the sync, then edited by an admin: left alone. `wanted` null: retracted. */
  | { reason: "edited"; domain: string; wanted: BlockFields | null; current: BlockFields }
  /** Retracted from the list, kept because of --no-delete. */
  | { reason: "kept"; domain: string; current: BlockFields };

export interface PlanCounts {
  desired: number;
  existing: number;
  /** Blocks carrying this list server's marker, edited ones included. */
  managed: number;
  unchanged: number;
  create: number;
  update: number;
  delete: number;
  /** Marker-only writes (upgrade, adopt): not counted by the brake. */
  remark: number;
}

export interface SyncPlan {
  /**
   * The order to apply: each deletion that uncovers subdomains followed at once by their
   * creates, then the other deletes, the marker-only writes, the updates, and the creates with
   * parents before subdomains.
   */
  actions: SyncAction[];
  notes: PlanNote[];
  /** Creates and stricter updates on public suffixes, which need --allow-broad. */
  broad: BroadAction[];
  counts: PlanCounts;
}

/**
 * `legacy`: an old marker that verifies, before the upgrade: managed, and rewritten.
 * `adoptable`: this list server's marker, not verified by the key, with --adopt: rewritten.
 */
type Ownership = "managed" | "legacy" | "adoptable" | "edited" | "hand_made";

function ownershipOf(block: TargetBlock, context: PlanContext): Ownership {
  const marker = parseMarker(block.private_comment);
  if (!marker || marker.serverHost !== context.serverHost) return "hand_made";
  if (marker.version === "k1") {
    if (verifiesKeyed(marker, context.marker, block.domain, block)) return "managed";
    return context.adopt ? "adoptable" : "edited";
  }
  if (context.acceptLegacy) {
    return verifiesLegacy(marker, context.serverHost, block) ? "legacy" : "edited";
  }
  return context.adopt ? "adoptable" : "hand_made";
}

/** Whether `after` restricts more than `before` in some way (an upgrade of the block). */
function widens(before: BlockFields, after: BlockFields): boolean {
  return !atLeastAsStrict(before, after);
}

function protectedBy(domain: string, protectedDomains: readonly string[]): string | undefined {
  return protectedDomains.find((own) => own === domain || own.endsWith(`.${domain}`));
}

function depth(domain: string): number {
  let dots = 0;
  for (let i = domain.indexOf("."); i !== -1; i = domain.indexOf(".", i + 1)) dots++;
  return dots;
}

/** Parents before their subdomains (fewer labels first), then in byte order. */
function parentsFirst(blocks: Iterable<DesiredBlock>): DesiredBlock[] {
  const keyed = [...blocks].map((block) => ({ block, depth: depth(block.domain) }));
  keyed.sort(
    (a, b) =>
      a.depth - b.depth ||
      (a.block.domain < b.block.domain ? -1 : a.block.domain > b.block.domain ? 1 : 0),
  );
  return keyed.map(({ block }) => block);
}

export function planSync(
  desired: readonly DesiredBlock[],
  existing: readonly TargetBlock[],
  context: PlanContext,
): SyncPlan {
  const notes: PlanNote[] = [];
  const deletes: SyncAction[] = [];
  const updates: SyncAction[] = [];
  const creates: (SyncAction & { kind: "create" })[] = [];
  const remarks: SyncAction[] = [];
  const broad: BroadAction[] = [];
  let managed = 0;
  let unchanged = 0;

  const wantedByDomain = new Map<string, DesiredBlock>();
  for (const wanted of desired) {
    const protects = protectedBy(wanted.domain, context.protectedDomains);
    if (protects === undefined) wantedByDomain.set(wanted.domain, wanted);
    else
      notes.push({
        reason: "protected",
        domain: wanted.domain,
        wanted: blockFields(wanted),
        protects,
      });
  }

  // The target's blocks as they will be once the plan is applied, for the parent check.
  const after = new Map<string, BlockFields>();
  const existingByDomain = new Map<string, { block: TargetBlock; ownership: Ownership }>();
  for (const block of existing) {
    const ownership = ownershipOf(block, context);
    existingByDomain.set(block.domain, { block, ownership });
    if (ownership !== "hand_made") managed++;
    if (ownership === "adoptable") {
      // Taken over as it is; a later run updates or deletes it like any managed block.
      remarks.push(remark(block, context, "adopt"));
      after.set(block.domain, block);
      continue;
    }
    if (wantedByDomain.has(block.domain) || ownership === "hand_made") {
      after.set(block.domain, block);
      continue;
    }
    const current = blockFields(block);
    if (ownership === "edited") {
      notes.push({ reason: "edited", domain: block.domain, wanted: null, current });
      after.set(block.domain, block);
    } else if (context.deleteRetracted) {
      deletes.push({ kind: "delete", domain: block.domain, id: block.id, before: current });
    } else {
      notes.push({ reason: "kept", domain: block.domain, current });
      after.set(block.domain, block);
    }
  }

  for (const wanted of parentsFirst(wantedByDomain.values())) {
    const fields = blockFields(wanted);
    const found = existingByDomain.get(wanted.domain);
    if (found) {
      const { block, ownership } = found;
      const current = blockFields(block);
      if (ownership === "adoptable") continue;
      if (sameFields(current, fields)) {
        unchanged++;
        if (ownership === "legacy") remarks.push(remark(block, context, "upgrade"));
        if (ownership === "hand_made" && context.ledger) {
          if (context.adopt && !parseMarker(block.private_comment)) {
            remarks.push(remark(block, context, "adopt"));
          } else {
            notes.push({ reason: "hand_made", domain: block.domain, wanted: fields, current });
          }
        }
      } else if (ownership === "hand_made") {
        notes.push({ reason: "hand_made", domain: block.domain, wanted: fields, current });
      } else if (ownership === "edited") {
        notes.push({ reason: "edited", domain: block.domain, wanted: fields, current });
      } else {
        const privateComment = markPrivateComment(
          block.private_comment,
          context.marker,
          block.domain,
          fields,
        );
        if (isPublicSuffix(block.domain) && widens(current, fields)) {
          broad.push({ domain: block.domain, kind: "update", fields, reaches: 0 });
        }
        updates.push({
          kind: "update",
          domain: block.domain,
          id: block.id,
          before: current,
          fields,
          privateComment,
        });
        after.set(block.domain, fields);
      }
      continue;
    }
    const parent = parentDomains(wanted.domain).find((domain) => after.has(domain));
    if (parent !== undefined && (context.covers ?? covers)(after.get(parent)!, fields)) {
      notes.push({ reason: "covered_by_parent", domain: wanted.domain, wanted: fields, parent });
      continue;
    }
    const privateComment = markPrivateComment("", context.marker, wanted.domain, fields);
    creates.push({ kind: "create", domain: wanted.domain, fields, privateComment });
    if (isPublicSuffix(wanted.domain)) {
      broad.push({ domain: wanted.domain, kind: "create", fields, reaches: 0 });
    }
    after.set(wanted.domain, fields);
  }

  for (const action of broad) {
    const suffix = `.${action.domain}`;
    let reaches = 0;
    for (const domain of new Set([...wantedByDomain.keys(), ...existingByDomain.keys()])) {
      if (domain.endsWith(suffix)) reaches++;
    }
    action.reaches = reaches;
  }

  return {
    actions: orderActions(deletes, remarks, updates, creates),
    notes,
    broad,
    counts: {
      desired: wantedByDomain.size,
      existing: existing.length,
      managed,
      unchanged,
      create: creates.length,
      update: updates.length,
      delete: deletes.length,
      remark: remarks.length,
    },
  };
}

function remark(block: TargetBlock, context: PlanContext, reason: "upgrade" | "adopt"): SyncAction {
  return {
    kind: "remark",
    domain: block.domain,
    id: block.id,
    before: blockFields(block),
    privateComment: markPrivateComment(block.private_comment, context.marker, block.domain, block),
    reason,
  };
}

/**
 * A retracted parent's children cannot be created while it exists (Mastodon refuses a child no
 * stricter than its parent), so each such deletion is followed at once by the creates it
 * uncovers, and these groups go first: the children are unblocked for as short a time as the
 * server allows (docs/sync.md §4).
 */
function orderActions(
  deletes: SyncAction[],
  remarks: SyncAction[],
  updates: SyncAction[],
  creates: (SyncAction & { kind: "create" })[],
): SyncAction[] {
  const deleted = new Set(deletes.map((action) => action.domain));
  const children = new Map<string, SyncAction[]>();
  const rest: SyncAction[] = [];
  for (const create of creates) {
    const parent = parentDomains(create.domain).find((domain) => deleted.has(domain));
    if (parent === undefined) {
      rest.push(create);
      continue;
    }
    children.set(parent, [...(children.get(parent) ?? []), create]);
  }
  const groups: SyncAction[] = [];
  const plain: SyncAction[] = [];
  for (const action of deletes) {
    const uncovered = children.get(action.domain);
    if (uncovered === undefined || action.kind !== "delete") {
      plain.push(action);
      continue;
    }
    groups.push({ ...action, uncovers: uncovered.map((child) => child.domain) }, ...uncovered);
  }
  return [...groups, ...plain, ...remarks, ...updates, ...rest];
}
