// Appeals by listed instances (issue 18, docs/decisions/0031): anyone speaking for a listed
// domain appeals its entry on a public list, proves control of the domain by serving a token,
// and the verified appeal opens a remove or change proposal with no proposer, which the members
// vote on under the list's rules. The appellant follows it and comments with the appeal token;
// they never vote and never see who voted.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { storedSessionId } from "../accounts/session-id.js";
import { emitEvent } from "../webhooks/outbox.js";
import { recordAudit } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import type { Tx } from "../db/client.js";
import { AppError, conflict, forbidden, invalid, notFound, throttled } from "../errors.js";
import { changedFields, entryInclude, snapshotOf } from "../lists/entry-fields.js";
import { findVisibleList, type ListRow } from "../lists/lists.service.js";
import {
  createProposalWithoutProposer,
  isUniqueViolation,
} from "../proposals/proposals.service.js";
import { tallyVotes, type VoteValue } from "../proposals/tally.js";
import type { AppealKind, AppealStatus, AppealView } from "./appeal.schema.js";
import type { AppealInput } from "./input.js";
import { countVerificationAttempt } from "./throttle.js";
import { checkDomainServes, verificationUrl } from "./verification.js";

/** Unverified appeals one entry may gather in a day: more is someone else's noise. */
const MAX_UNVERIFIED_PER_DAY = 5;
const DAY_MS = 86_400_000;

const newSecret = () => randomBytes(24).toString("base64url");

/** An appeal's list, visible to anyone: members-only lists take no appeals (404 as elsewhere). */
async function publicList(tx: Tx | AppContext["db"]["prisma"], slug: string): Promise<ListRow> {
  return findVisibleList(tx, null, slug);
}

const appealInclude = {
  list: true,
  links: { orderBy: { position: "asc" } },
  comments: { orderBy: { id: "asc" } },
  proposal: { include: { votes: { select: { vote: true } } } },
} as const;

/** The 409 for an entry that has a proposal open: an appeal's own says so. */
async function refuseOpenProposal(
  tx: Tx | AppContext["db"]["prisma"],
  list: ListRow,
  domain: string,
): Promise<void> {
  const open = await tx.proposal.findUnique({
    where: { listId_openDomain: { listId: list.id, openDomain: domain } },
    select: { id: true, appeal: { select: { id: true } } },
  });
  if (!open) return;
  if (open.appeal) {
    throw new AppError(
      409,
      "appeal_open",
      `Appeal ${open.appeal.id} of ${domain} on ${list.slug} is open (proposal ${open.id}): one appeal per entry at a time; follow or comment on that one.`,
      { extensions: { appealId: open.appeal.id, proposalId: open.id } },
    );
  }
  throw new AppError(
    409,
    "proposal_open",
    `Proposal ${open.id} on ${domain} is open on ${list.slug}: appeal once the members have decided it.`,
    { extensions: { proposalId: open.id } },
  );
}

/** A rejected appeal may be renewed only after the list's `appealCooldownDays`. */
async function refuseDuringCooldown(tx: Tx, list: ListRow, domain: string, now: Date) {
  const last = await tx.appeal.findFirst({
    where: { listId: list.id, domain, proposal: { status: "rejected" } },
    orderBy: { proposal: { closedAt: "desc" } },
    select: { id: true, proposal: { select: { closedAt: true } } },
  });
  const closedAt = last?.proposal?.closedAt;
  if (!closedAt) return;
  const renewableAt = new Date(closedAt.getTime() + list.appealCooldownDays * DAY_MS);
  if (now < renewableAt) {
    throw new AppError(
      409,
      "appeal_cooldown",
      `Appeal ${last.id} of ${domain} was rejected on ${closedAt.toISOString()}; ${list.slug} takes a new appeal ${list.appealCooldownDays} days after a rejection, from ${renewableAt.toISOString()}.`,
      {
        extensions: { appealId: last.id, renewableAt: renewableAt.toISOString() },
        headers: {
          "Retry-After": String(Math.ceil((renewableAt.getTime() - now.getTime()) / 1000)),
        },
      },
    );
  }
}

/** The fields a change appeal asks for, checked against the entry now (and again on verify). */
function requestedFields(input: AppealInput, current: ReturnType<typeof snapshotOf>) {
  if (input.kind === "remove") {
    if (input.fields !== undefined) {
      throw invalid("A remove appeal takes no fields: the entry would be removed whole.", [
        { field: "fields", message: "not allowed when kind is remove (use kind change)" },
      ]);
    }
    return null;
  }
  const given = Object.fromEntries(
    Object.entries(input.fields ?? {}).filter(([, value]) => value !== undefined),
  );
  if (Object.keys(changedFields(current, given)).length === 0) {
    throw invalid("This change appeal changes nothing: give the fields with their new values.", [
      { field: "fields", message: "give at least one field that differs from the entry" },
    ]);
  }
  return given;
}

export interface CreatedAppeal {
  id: number;
  status: "unverified";
  verification: { url: string; token: string };
  appealToken: string;
}

export async function createAppeal(
  ctx: AppContext,
  slug: string,
  domain: string,
  input: AppealInput,
): Promise<CreatedAppeal> {
  const verificationToken = `fediblock-verification-${newSecret()}`;
  const appealToken = `fba_${newSecret()}`;
  const id = await ctx.db.transaction(async (tx) => {
    const list = await publicList(tx, slug);
    const entry = await tx.entry.findUnique({
      where: { listId_domain: { listId: list.id, domain } },
      include: entryInclude,
    });
    if (!entry) throw notFound(`Entry ${domain} on ${slug}`);
    const fields = requestedFields(input, snapshotOf(entry));
    const now = ctx.clock.now();
    await refuseOpenProposal(tx, list, domain);
    await refuseDuringCooldown(tx, list, domain, now);
    const pending = await tx.appeal.count({
      where: {
        listId: list.id,
        domain,
        verifiedAt: null,
        createdAt: { gt: new Date(now.getTime() - DAY_MS) },
      },
    });
    if (pending >= MAX_UNVERIFIED_PER_DAY) {
      throw throttled(
        `${domain} already has ${pending} unverified appeals on ${slug} from the last day: verify one of them.`,
        DAY_MS / 1000,
      );
    }
    const created = await tx.appeal.create({
      data: {
        listId: list.id,
        domain,
        kind: input.kind,
        rebuttal: input.rebuttal,
        fields: fields ? JSON.stringify(fields) : null,
        verificationToken,
        appealTokenHash: storedSessionId(appealToken),
        createdAt: now,
        links: { create: input.links.map((url, position) => ({ url, position })) },
      },
    });
    return created.id;
  });
  return {
    id,
    status: "unverified",
    verification: {
      url: verificationUrl(ctx.config.verificationBase, domain),
      token: verificationToken,
    },
    appealToken,
  };
}

async function loadAppeal(db: Tx | AppContext["db"]["prisma"], id: number) {
  const appeal = await db.appeal.findUnique({ where: { id }, include: appealInclude });
  // An appeal on a list that is members-only now is as unknown as the list.
  if (!appeal || appeal.list.visibility !== "public") throw notFound(`Appeal ${id}`);
  return appeal;
}

type AppealRow = Awaited<ReturnType<typeof loadAppeal>>;

function publicProposal(proposal: NonNullable<AppealRow["proposal"]>) {
  return {
    id: proposal.id,
    kind: proposal.kind as AppealKind,
    status: proposal.status as "open" | "passed" | "rejected" | "withdrawn",
    openedAt: proposal.openedAt.toISOString(),
    closesAt: proposal.closesAt.toISOString(),
    closedAt: proposal.closedAt?.toISOString() ?? null,
    tally: tallyVotes(proposal.votes.map(({ vote }) => ({ vote: vote as VoteValue }))),
    decidedBy:
      proposal.status === "open"
        ? null
        : proposal.decidedByAccountId !== null
          ? ("curator" as const)
          : ("votes" as const),
    decisionReason: proposal.decidedByAccountId !== null ? (proposal.decisionReason ?? "") : null,
  };
}

function statusOf(appeal: AppealRow): AppealStatus {
  if (!appeal.proposal) return "unverified";
  const status = appeal.proposal.status;
  // A proposal with no proposer cannot be withdrawn; were it ever, the appeal did not pass.
  return status === "open" || status === "passed" ? status : "rejected";
}

async function viewOf(ctx: AppContext, appeal: AppealRow): Promise<AppealView> {
  const entry = await ctx.db.prisma.entry.findUnique({
    where: { listId_domain: { listId: appeal.listId, domain: appeal.domain } },
    select: { publicComment: true },
  });
  const unverified = appeal.verifiedAt === null;
  return {
    id: appeal.id,
    list: appeal.list.slug,
    domain: appeal.domain,
    kind: appeal.kind as AppealKind,
    status: statusOf(appeal),
    rebuttal: appeal.rebuttal,
    links: appeal.links.map((link) => link.url),
    fields: appeal.fields ? (JSON.parse(appeal.fields) as AppealView["fields"]) : null,
    createdAt: appeal.createdAt.toISOString(),
    verifiedAt: appeal.verifiedAt?.toISOString() ?? null,
    verification: unverified
      ? {
          url: verificationUrl(ctx.config.verificationBase, appeal.domain),
          token: appeal.verificationToken,
        }
      : null,
    proposal: appeal.proposal ? publicProposal(appeal.proposal) : null,
    listedReason: entry?.publicComment ?? null,
    comments: appeal.comments.map((c) => ({
      id: c.id,
      body: c.body,
      at: c.createdAt.toISOString(),
    })),
  };
}

export async function getAppeal(ctx: AppContext, id: number): Promise<AppealView> {
  return viewOf(ctx, await loadAppeal(ctx.db.prisma, id));
}

/**
 * Verifies an appeal: counts the attempt (per domain, per address), fetches the token from the
 * domain, and opens the appeal's proposal. Error contract: 404 for an unknown appeal; 409
 * `appeal_verified` once verified, `proposal_open`/`appeal_open` while the entry has a
 * proposal open, `appeal_cooldown` within the cooldown of a rejected appeal; 429 past the
 * throttle; 422 with what the domain served (`verification_mismatch`, `verification_not_found`,
 * `verification_status`, `verification_unreachable`). A refusal writes nothing but, once the
 * domain has been fetched, the attempt (the throttle's record).
 */
export async function verifyAppeal(ctx: AppContext, id: number, address: string) {
  const appeal = await loadAppeal(ctx.db.prisma, id);
  if (appeal.verifiedAt !== null) {
    throw conflict(
      `Appeal ${id} is verified already; its proposal is ${appeal.proposalId ?? "closed"}.`,
      "appeal_verified",
    );
  }
  // Refused before anything is fetched (or counted): the entry has a proposal open.
  await refuseOpenProposal(ctx.db.prisma, appeal.list, appeal.domain);
  await countVerificationAttempt(ctx.db, ctx.clock, appeal.domain, address);
  const url = verificationUrl(ctx.config.verificationBase, appeal.domain);
  const finding = await checkDomainServes(url, appeal.verificationToken, ctx.config.outbound);
  if (!finding.ok) throw new AppError(422, finding.code, finding.message);

  await ctx.db
    .transaction(async (tx) => {
      // Claims the appeal first, so that two verifications of it cannot both open a proposal.
      const claimed = await tx.appeal.updateMany({
        where: { id, verifiedAt: null },
        data: { verifiedAt: ctx.clock.now() },
      });
      if (claimed.count === 0)
        throw conflict(`Appeal ${id} is verified already.`, "appeal_verified");
      const list = await publicList(tx, appeal.list.slug);
      const now = ctx.clock.now();
      await refuseOpenProposal(tx, list, appeal.domain);
      await refuseDuringCooldown(tx, list, appeal.domain, now);
      const fields = appeal.fields ? (JSON.parse(appeal.fields) as Record<string, unknown>) : {};
      const opened = await createProposalWithoutProposer(
        tx,
        ctx,
        list,
        {
          kind: appeal.kind as AppealKind,
          domain: appeal.domain,
          reason: appeal.rebuttal,
          ...fields,
        },
        "appeal",
      );
      await tx.appeal.update({ where: { id }, data: { proposalId: opened.id } });
      // The issue's `appeal.opened` event: the webhook outbox hangs off this audit event.
      await recordAudit(tx, "system", {
        at: now,
        action: "appeal.opened",
        listId: list.id,
        subject: appeal.domain,
        after: { appeal: id, proposal: opened.id, kind: appeal.kind, rebuttal: appeal.rebuttal },
      });
      // Appeals exist only on public lists and their page is public; the proposal is members'.
      const told = {
        appeal: id,
        domain: appeal.domain,
        kind: appeal.kind,
        rebuttal: appeal.rebuttal,
      };
      emitEvent(tx, {
        event: "appeal.opened",
        listId: list.id,
        data: { ...told, proposal: opened.id },
        publicData: told,
      });
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) {
        throw conflict(
          `Another proposal on ${appeal.domain} was opened at the same moment: appeal once it is decided.`,
          "proposal_open",
        );
      }
      throw error;
    });
  const verified = await loadAppeal(ctx.db.prisma, id);
  return { status: "open" as const, proposal: publicProposal(verified.proposal!) };
}

const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The appellant's comment, with the appeal token: while the appeal is unverified or open. */
export async function commentOnAppeal(
  ctx: AppContext,
  id: number,
  appealToken: string,
  body: string,
): Promise<AppealView> {
  await ctx.db.transaction(async (tx) => {
    const appeal = await loadAppeal(tx, id);
    if (!sameHash(storedSessionId(appealToken), appeal.appealTokenHash)) {
      throw forbidden(
        "This is not the appeal token of this appeal: use the one shown when the appeal was made.",
        "appeal_token",
      );
    }
    if (appeal.proposal && appeal.proposal.status !== "open") {
      throw conflict(`Appeal ${id} is closed (${statusOf(appeal)}).`, "appeal_closed");
    }
    const now = ctx.clock.now();
    const comment = await tx.appealComment.create({ data: { appealId: id, body, createdAt: now } });
    await recordAudit(tx, "system", {
      at: now,
      action: "appeal.commented",
      listId: appeal.listId,
      subject: appeal.domain,
      after: { appeal: id, comment: comment.id, body },
    });
  });
  return getAppeal(ctx, id);
}
