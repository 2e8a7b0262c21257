// What a sync would change, decided without any I/O: which blocks to create, update and delete,
// and why the others are left alone (SPEC §7, step 3).
import {
  blockFields,
  covers,
  sameFields,
  type BlockFields,
  type DesiredBlock,
  type TargetBlock,
} from "./block.js";
import { hashFields, markPrivateComment, parseMarker } from "./marker.js";
import { parentDomains } from "../domains/normalize.js";

export interface PlanContext {
  /** The list server's host, as it appears in the marker. */
  serverHost: string;
  /** Domains never to block: the target's own, the list server's. Their parents neither. */
  protectedDomains: readonly string[];
  /** False with --no-delete: managed blocks gone from the feed stay. */
  deleteRetracted: boolean;
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
  | { kind: "delete"; domain: string; id: string; before: BlockFields };

export type PlanNote =
  /** A parent domain's block already restricts the domain at least as much. */
  | { reason: "covered_by_parent"; domain: string; wanted: BlockFields; parent: string }
  /** The domain is, or is a parent of, the target's own domain or the list server's. */
  | { reason: "protected"; domain: string; wanted: BlockFields; protects: string }
  /** Blocked by hand, differently from the list: never changed. */
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
}

export interface SyncPlan {
  /** Deletes, then updates, then creates with parents before subdomains: the order to apply. */
  actions: SyncAction[];
  notes: PlanNote[];
  counts: PlanCounts;
}

type Ownership = "managed" | "edited" | "hand_made";

function ownershipOf(block: TargetBlock, serverHost: string): Ownership {
  const marker = parseMarker(block.private_comment);
  if (!marker || marker.serverHost !== serverHost) return "hand_made";
  return marker.hash === hashFields(block) ? "managed" : "edited";
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
  const creates: SyncAction[] = [];
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
    const ownership = ownershipOf(block, context.serverHost);
    existingByDomain.set(block.domain, { block, ownership });
    if (ownership !== "hand_made") managed++;
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
      if (sameFields(current, fields)) {
        unchanged++;
      } else if (ownership === "hand_made") {
        notes.push({ reason: "hand_made", domain: block.domain, wanted: fields, current });
      } else if (ownership === "edited") {
        notes.push({ reason: "edited", domain: block.domain, wanted: fields, current });
      } else {
        const privateComment = markPrivateComment(
          block.private_comment,
          context.serverHost,
          fields,
        );
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
    if (parent !== undefined && covers(after.get(parent)!, fields)) {
      notes.push({ reason: "covered_by_parent", domain: wanted.domain, wanted: fields, parent });
      continue;
    }
    const privateComment = markPrivateComment("", context.serverHost, fields);
    creates.push({ kind: "create", domain: wanted.domain, fields, privateComment });
    after.set(wanted.domain, fields);
  }

  return {
    actions: [...deletes, ...updates, ...creates],
    notes,
    counts: {
      desired: wantedByDomain.size,
      existing: existing.length,
      managed,
      unchanged,
      create: creates.length,
      update: updates.length,
      delete: deletes.length,
    },
  };
}
