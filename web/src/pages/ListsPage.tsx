import { Link } from "react-router";
import { useResource } from "../api/hooks.js";
import type { BlockList } from "../api/types.js";
import { ErrorBanner } from "../components/Banner.js";
import { DownloadLinks } from "../components/ListParts.js";
import { Page } from "../components/Page.js";
import { EmptyState, Skeleton } from "../components/States.js";
import { seg } from "../forms.js";
import { isAdmin, useSession } from "../session.js";

function ListCard({ list, signedIn }: { list: BlockList; signedIn: boolean }) {
  const { counts } = list;
  return (
    <li className="card list-card">
      <div className="list-card__head">
        <h2>
          <Link to={`/l/${seg(list.slug)}`}>{list.name}</Link>
        </h2>
        <span className="cluster">
          {list.visibility === "members" ? (
            <span className="badge badge--neutral">members only</span>
          ) : (
            <span className="badge badge--open">public</span>
          )}
          {list.archivedAt !== null && <span className="badge badge--withdrawn">archived</span>}
          <span className="muted small mono">{list.slug}</span>
        </span>
      </div>
      {list.description && <p className="muted">{list.description}</p>}
      <ul className="stats" aria-label={`Counts of ${list.name}`}>
        <li className="stat">
          <span className="stat__value">{counts.entries}</span>
          <span className="stat__label">entries</span>
        </li>
        <li className="stat">
          <span className="stat__value">{counts.suspend}</span>
          <span className="stat__label">suspend</span>
        </li>
        <li className="stat">
          <span className="stat__value">{counts.silence}</span>
          <span className="stat__label">silence</span>
        </li>
        <li className="stat">
          <span className="stat__value">{counts.noop}</span>
          <span className="stat__label">noop</span>
        </li>
        {signedIn && (
          <li className="stat">
            <span className="stat__value">{counts.openProposals}</span>
            <span className="stat__label">
              <Link to={`/l/${seg(list.slug)}/proposals`}>open proposals</Link>
            </span>
          </li>
        )}
      </ul>
      <DownloadLinks list={list} />
    </li>
  );
}

export function ListsPage() {
  const { me } = useSession();
  const lists = useResource<{ items: BlockList[] }>("/api/v1/lists");
  const signedIn = Boolean(me);
  return (
    <Page
      title={signedIn ? "Blocklists" : "Public blocklists"}
      lead={
        signedIn
          ? "The lists of the coalition. Open one to search its entries, vote on proposals or propose a block."
          : "Shared blocklists curated and voted on by member instances. Anyone may read them and import their exports."
      }
      actions={
        isAdmin(me) && (
          <Link className="button button--primary" to="/admin/lists/new">
            New list
          </Link>
        )
      }
    >
      <ErrorBanner error={lists.error} title="The lists could not be loaded" />
      {lists.loading && !lists.data ? (
        <Skeleton lines={6} label="Loading the lists…" />
      ) : lists.data && lists.data.items.length === 0 ? (
        <EmptyState title="No lists yet">
          {isAdmin(me) ? (
            <p>
              <Link to="/admin/lists/new">Create the first list</Link>, then invite members to
              propose entries.
            </p>
          ) : (
            <p>No list is public yet. Members sign in to see members-only lists.</p>
          )}
        </EmptyState>
      ) : (
        <ul className="card-list">
          {lists.data?.items.map((list) => (
            <ListCard key={list.slug} list={list} signedIn={signedIn} />
          ))}
        </ul>
      )}
    </Page>
  );
}
