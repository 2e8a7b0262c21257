import { useEffect, useState, type FormEvent } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { ApiError } from "../api/client.js";
import { usePaged } from "../api/hooks.js";
import { SEVERITIES, TAGS, type BlockList, type Entry } from "../api/types.js";
import { SeverityBadge, Tags, flagsText } from "../components/Badges.js";
import { ErrorBanner } from "../components/Banner.js";
import {
  ArchivedNotice,
  DownloadLinks,
  ListTabs,
  VotingRules,
  useList,
} from "../components/ListParts.js";
import { Page } from "../components/Page.js";
import { RelativeTime } from "../components/RelativeTime.js";
import { EmptyState, MoreButton, Skeleton } from "../components/States.js";
import { seg } from "../forms.js";
import { useSession } from "../session.js";
import { domainLabel } from "../idn.js";

export function ListNotFound({ error }: { error: unknown }) {
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <Page title={notFound ? "List not found" : "The list could not be loaded"}>
      <ErrorBanner error={error} title={notFound ? "No such list" : "Error"} />
      <p>
        {notFound && "It may be members-only: sign in to see it. Or the address may be mistyped. "}
        <Link to="/">See all lists</Link>
      </p>
    </Page>
  );
}

function Filters({ slug }: { slug: string }) {
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState(params.get("q") ?? "");
  useEffect(() => setQ(params.get("q") ?? ""), [params]);
  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update("q", q.trim());
  };
  return (
    <form className="filters" role="search" aria-label={`Search ${slug}`} onSubmit={submit}>
      <div className="field">
        <label className="field__label" htmlFor="entry-q">
          Search domains and reasons
        </label>
        <input
          id="entry-q"
          type="search"
          value={q}
          placeholder="e.g. threads.net"
          onChange={(event) => setQ(event.target.value)}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor="entry-severity">
          Severity
        </label>
        <select
          id="entry-severity"
          value={params.get("severity") ?? ""}
          onChange={(event) => update("severity", event.target.value)}
        >
          <option value="">Any</option>
          {SEVERITIES.map((severity) => (
            <option key={severity} value={severity}>
              {severity}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field__label" htmlFor="entry-tag">
          Tag
        </label>
        <select
          id="entry-tag"
          value={params.get("tag") ?? ""}
          onChange={(event) => update("tag", event.target.value)}
        >
          <option value="">Any</option>
          {TAGS.map((tag) => (
            <option key={tag} value={tag}>
              {tag}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--primary">
        Search
      </button>
    </form>
  );
}

function EntriesTable({ list }: { list: BlockList }) {
  const [params] = useSearchParams();
  const { me } = useSession();
  const query = {
    q: params.get("q") ?? undefined,
    severity: params.get("severity") ?? undefined,
    tag: params.get("tag") ?? undefined,
  };
  const filtered = Boolean(query.q || query.severity || query.tag);
  const entries = usePaged<Entry>(`/api/v1/lists/${seg(list.slug)}/entries`, query, 50);
  if (entries.initial) return <Skeleton lines={8} label="Loading entries…" />;
  if (entries.error && entries.items.length === 0) {
    return <ErrorBanner error={entries.error} title="The entries could not be loaded" />;
  }
  if (entries.items.length === 0) {
    return filtered ? (
      <EmptyState title="No entry matches">
        <p>Try another search, or clear the filters.</p>
      </EmptyState>
    ) : (
      <EmptyState title="This list has no entries yet">
        {me && list.archivedAt === null ? (
          <p>
            <Link to={`/l/${seg(list.slug)}/propose`}>Propose a block</Link> or{" "}
            <Link to={`/import?list=${seg(list.slug)}`}>import a blocklist</Link>.
          </p>
        ) : list.archivedAt !== null ? (
          <p>It is archived: it takes no new entries.</p>
        ) : (
          <p>Entries appear here once members have voted them in.</p>
        )}
      </EmptyState>
    );
  }
  return (
    <>
      <div className="table-wrap">
        <table className="table--stack">
          <caption className="visually-hidden">Entries of {list.name}</caption>
          <thead>
            <tr>
              <th scope="col">Domain</th>
              <th scope="col">Severity</th>
              <th scope="col">Public reason</th>
              <th scope="col">Tags</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {entries.items.map((entry) => (
              <tr key={entry.domain}>
                <td data-label="Domain">
                  <Link className="mono" to={`/l/${seg(list.slug)}/entries/${seg(entry.domain)}`}>
                    {domainLabel(entry.domain)}
                  </Link>
                </td>
                <td data-label="Severity">
                  <SeverityBadge severity={entry.severity} />
                  {flagsText(entry) && <div className="muted small">{flagsText(entry)}</div>}
                </td>
                <td data-label="Public reason">
                  {entry.publicComment || <span className="muted">—</span>}
                </td>
                <td data-label="Tags">
                  <Tags tags={entry.tags} label={`Tags of ${entry.domain}`} />
                </td>
                <td data-label="Updated" className="nowrap">
                  <RelativeTime at={entry.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {entries.error !== null && <ErrorBanner error={entries.error} />}
      <MoreButton
        hasMore={entries.hasMore}
        loading={entries.loading}
        onMore={entries.loadMore}
        shown={entries.items.length}
        noun={entries.items.length === 1 ? "entry" : "entries"}
      />
    </>
  );
}

export function ListEntriesPage() {
  const { slug = "" } = useParams();
  const list = useList(slug);
  if (list.error) return <ListNotFound error={list.error} />;
  if (!list.data) {
    // The eyebrow line already, so the heading stays where it is when the list arrives.
    return (
      <Page
        title="Loading list…"
        eyebrow={
          <>
            Blocklist <span className="mono">{slug}</span>
          </>
        }
      >
        <Skeleton lines={8} />
      </Page>
    );
  }
  const data = list.data;
  return (
    <Page
      title={data.name}
      eyebrow={
        <>
          Blocklist <span className="mono">{data.slug}</span> ·{" "}
          {data.visibility === "public" ? "public" : "members only"}
          {data.archivedAt !== null && " · archived"} · revision {data.revision}
        </>
      }
      lead={data.description || undefined}
    >
      <ListTabs list={data} />
      <ArchivedNotice list={data} />
      <div className="stack">
        <DownloadLinks list={data} />
        <VotingRules list={data} />
        <Filters slug={data.slug} />
      </div>
      <EntriesTable list={data} />
    </Page>
  );
}
