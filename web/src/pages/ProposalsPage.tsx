import { Link, useParams, useSearchParams } from "react-router";
import { usePaged } from "../api/hooks.js";
import {
  PROPOSAL_STATUSES,
  type BlockList,
  type ProposalStatus,
  type ProposalSummary,
} from "../api/types.js";
import { StatusBadge, VoteBadge } from "../components/Badges.js";
import { ErrorBanner } from "../components/Banner.js";
import { ListTabs, useList } from "../components/ListParts.js";
import { Page } from "../components/Page.js";
import {
  ProposedSeverity,
  TimeLeft,
  proposalTitle,
  proposedBy,
} from "../components/ProposalParts.js";
import { EmptyState, MoreButton, Skeleton } from "../components/States.js";
import { TallyBar } from "../components/TallyBar.js";
import { seg } from "../forms.js";
import { ListNotFound } from "./ListEntriesPage.js";

function ProposalCard({ proposal }: { proposal: ProposalSummary }) {
  return (
    <li className="card proposal-card">
      <div>
        <h2 className="proposal-card__title">
          <Link to={`/proposals/${proposal.id}`}>{proposalTitle(proposal)}</Link>
        </h2>
        <p className="cluster">
          <StatusBadge status={proposal.status} />
          <ProposedSeverity proposal={proposal} />
          <span className="proposal-card__meta">
            #{proposal.id} by {proposedBy(proposal)} · <TimeLeft proposal={proposal} />
          </span>
        </p>
        {proposal.reason && <p className="muted">{proposal.reason}</p>}
        <p className="small">
          {proposal.myVote ? (
            <>
              Your instance voted <VoteBadge vote={proposal.myVote.vote} />
              {proposal.myVote.severity && <> for {proposal.myVote.severity}</>}
            </>
          ) : proposal.canVote ? (
            <strong>Your instance has not voted yet.</strong>
          ) : (
            <span className="muted">Your instance cannot vote on this one.</span>
          )}
        </p>
      </div>
      <TallyBar
        tally={proposal.tally}
        quorum={proposal.policy.quorum}
        threshold={proposal.policy.threshold}
      />
    </li>
  );
}

/** Links, not NavLinks: these differ only in ?status=, which NavLink ignores (all four "active"). */
function StatusTabs({ list, status }: { list: BlockList; status: ProposalStatus }) {
  return (
    <nav aria-label="Proposal status">
      <ul className="cluster plain-list">
        {PROPOSAL_STATUSES.map((value) => (
          <li key={value}>
            <Link
              className="button button--small"
              to={`/l/${seg(list.slug)}/proposals${value === "open" ? "" : `?status=${value}`}`}
              aria-current={value === status ? "page" : undefined}
            >
              {value}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Proposals({ list, status }: { list: BlockList; status: ProposalStatus }) {
  const proposals = usePaged<ProposalSummary>(
    `/api/v1/lists/${seg(list.slug)}/proposals`,
    { status },
    25,
  );
  if (proposals.initial) return <Skeleton lines={6} label="Loading proposals…" />;
  if (proposals.error && proposals.items.length === 0) {
    return <ErrorBanner error={proposals.error} title="The proposals could not be loaded" />;
  }
  if (proposals.items.length === 0) {
    return (
      <EmptyState title={status === "open" ? "No proposals are open." : `No ${status} proposals.`}>
        <p>
          <Link to={`/l/${seg(list.slug)}/propose`}>Propose a block</Link>
        </p>
      </EmptyState>
    );
  }
  return (
    <>
      <ul className="card-list">
        {proposals.items.map((proposal) => (
          <ProposalCard key={proposal.id} proposal={proposal} />
        ))}
      </ul>
      <MoreButton
        hasMore={proposals.hasMore}
        loading={proposals.loading}
        onMore={proposals.loadMore}
        shown={proposals.items.length}
        noun={proposals.items.length === 1 ? "proposal" : "proposals"}
      />
    </>
  );
}

export function ProposalsPage() {
  const { slug = "" } = useParams();
  const [params] = useSearchParams();
  const list = useList(slug);
  const requested = params.get("status");
  const status: ProposalStatus = PROPOSAL_STATUSES.includes(requested as ProposalStatus)
    ? (requested as ProposalStatus)
    : "open";
  if (list.error) return <ListNotFound error={list.error} />;
  return (
    <Page
      title={
        status === "open"
          ? "Open proposals"
          : `${status[0]!.toUpperCase()}${status.slice(1)} proposals`
      }
      eyebrow={list.data ? <Link to={`/l/${seg(slug)}`}>{list.data.name}</Link> : slug}
      lead={
        list.data &&
        `A proposal passes once it has been open ${list.data.policy.minOpenHours} hours with at least ${list.data.policy.quorum} yes or no votes and ${Math.round(list.data.policy.threshold * 100)}% of them yes. One vote per instance.`
      }
      actions={
        <Link className="button button--primary" to={`/l/${seg(slug)}/propose`}>
          Propose a block
        </Link>
      }
    >
      {list.data ? (
        <>
          <ListTabs list={list.data} />
          <div className="stack">
            <StatusTabs list={list.data} status={status} />
            <Proposals list={list.data} status={status} />
          </div>
        </>
      ) : (
        <Skeleton lines={6} />
      )}
    </Page>
  );
}
