// "Waiting for your vote": the open proposals the instance has not voted on, closing soonest
// first, with the time left; and the instance's Atom feed of them for a feed reader.
import { useState } from "react";
import { Link } from "react-router";
import { api } from "../api/client.js";
import { useResource } from "../api/hooks.js";
import type { AwaitingView, FeedTokenStatus, IssuedFeedToken } from "../api/types.js";
import { ErrorBanner } from "../components/Banner.js";
import { Page } from "../components/Page.js";
import { RelativeTime } from "../components/RelativeTime.js";
import { SecretPanel } from "../components/SecretPanel.js";
import { EmptyState, Skeleton } from "../components/States.js";
import { seg } from "../forms.js";
import { domainLabel } from "../idn.js";

const KIND_WORDS: Record<string, string> = { add: "Add", change: "Change", remove: "Remove" };

function FeedSection() {
  const status = useResource<FeedTokenStatus>("/api/v1/instances/me/feed-token");
  const [issued, setIssued] = useState<IssuedFeedToken | null>(null);
  const [error, setError] = useState<unknown>(null);
  const issue = async () => {
    setError(null);
    try {
      setIssued(await api.post<IssuedFeedToken>("/api/v1/instances/me/feed-token"));
      status.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  const revoke = async () => {
    setError(null);
    try {
      await api.delete("/api/v1/instances/me/feed-token");
      setIssued(null);
      status.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <section className="stack" aria-labelledby="feed-heading">
      <h2 id="feed-heading">In a feed reader</h2>
      <p className="muted">
        An Atom feed of this page, read with a feed token in its URL (feed readers send no
        passwords). Anyone with the URL sees what awaits your instance&apos;s vote: a new URL
        replaces the old one, and revoking it stops it.
      </p>
      {error !== null && <ErrorBanner error={error} />}
      {issued && (
        <SecretPanel
          id="feed-url"
          title="Your feed URL"
          label="Feed URL"
          value={issued.url}
          doneLabel="Done"
          onDone={() => setIssued(null)}
        >
          <p>It is shown only now. Paste it into your feed reader.</p>
        </SecretPanel>
      )}
      <p className="cluster">
        <button type="button" className="button" onClick={() => void issue()}>
          {status.data?.active ? "Replace the feed URL" : "Create a feed URL"}
        </button>
        {status.data?.active && (
          <button type="button" className="button" onClick={() => void revoke()}>
            Revoke the feed URL
          </button>
        )}
      </p>
    </section>
  );
}

export function WaitingPage() {
  const waiting = useResource<AwaitingView>("/api/v1/instances/me/awaiting");
  return (
    <Page
      title="Waiting for your vote"
      lead="Open proposals your instance has not voted on yet, closing soonest first."
    >
      {waiting.error !== null && <ErrorBanner error={waiting.error} />}
      {waiting.data === undefined ? (
        waiting.error === null && <Skeleton label="Loading the proposals…" />
      ) : waiting.data.items.length === 0 ? (
        <EmptyState title="Nothing is waiting for your vote">
          Every open proposal has your instance&apos;s vote.
        </EmptyState>
      ) : (
        <ul className="card-list">
          {waiting.data.items.map((proposal) => (
            <li key={proposal.id} className="card proposal-card">
              <div>
                <h2 className="proposal-card__title">
                  <Link to={`/proposals/${proposal.id}`}>
                    {KIND_WORDS[proposal.kind] ?? proposal.kind} {domainLabel(proposal.domain)}
                  </Link>
                </h2>
                <p className="cluster">
                  <span className="proposal-card__meta">
                    on <Link to={`/l/${seg(proposal.list)}`}>{proposal.listName}</Link> ·{" "}
                    <RelativeTime at={proposal.closesAt} prefix="closes" />
                  </span>
                </p>
                {proposal.reason && <p className="muted">{proposal.reason}</p>}
              </div>
            </li>
          ))}
        </ul>
      )}
      <FeedSection />
    </Page>
  );
}
