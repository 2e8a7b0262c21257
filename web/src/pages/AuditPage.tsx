import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { usePaged, useResource } from "../api/hooks.js";
import type { AuditEvent, BlockList } from "../api/types.js";
import { ErrorBanner } from "../components/Banner.js";
import { Page } from "../components/Page.js";
import { AbsoluteTime } from "../components/RelativeTime.js";
import { EmptyState, MoreButton, Skeleton } from "../components/States.js";

/** A date input's day as the start of that day in UTC (ISO 8601, as the API wants). */
const dayStart = (day: string) => (day ? `${day}T00:00:00Z` : undefined);
const dayAfter = (day: string) => {
  if (!day) return undefined;
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
};

function Change({ event }: { event: AuditEvent }) {
  if (event.before === null && event.after === null) return <span className="muted">—</span>;
  return (
    <details>
      <summary>Details</summary>
      {event.before !== null && event.before !== undefined && (
        <>
          <p className="small muted">Before</p>
          <pre>{JSON.stringify(event.before, null, 2)}</pre>
        </>
      )}
      {event.after !== null && event.after !== undefined && (
        <>
          <p className="small muted">After</p>
          <pre>{JSON.stringify(event.after, null, 2)}</pre>
        </>
      )}
    </details>
  );
}

function Filters() {
  const [params, setParams] = useSearchParams();
  const lists = useResource<{ items: BlockList[] }>("/api/v1/lists");
  const [list, setList] = useState(params.get("list") ?? "");
  const [actor, setActor] = useState(params.get("actor") ?? "");
  const [since, setSince] = useState(params.get("since") ?? "");
  const [until, setUntil] = useState(params.get("until") ?? "");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (list) next.set("list", list);
    if (actor.trim()) next.set("actor", actor.trim());
    if (since) next.set("since", since);
    if (until) next.set("until", until);
    setParams(next, { replace: true });
  };
  return (
    <form className="filters" aria-label="Filter the audit log" onSubmit={submit}>
      <div className="field">
        <label className="field__label" htmlFor="audit-actor">
          Who (user name)
        </label>
        <input
          id="audit-actor"
          type="text"
          autoCapitalize="none"
          value={actor}
          onChange={(event) => setActor(event.target.value)}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor="audit-list">
          List
        </label>
        <select id="audit-list" value={list} onChange={(event) => setList(event.target.value)}>
          <option value="">All lists</option>
          {lists.data?.items.map((item) => (
            <option key={item.slug} value={item.slug}>
              {item.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field__label" htmlFor="audit-since">
          From (UTC)
        </label>
        <input
          id="audit-since"
          type="date"
          value={since}
          onChange={(event) => setSince(event.target.value)}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor="audit-until">
          To (UTC, inclusive)
        </label>
        <input
          id="audit-until"
          type="date"
          value={until}
          onChange={(event) => setUntil(event.target.value)}
        />
      </div>
      <button type="submit" className="button button--primary">
        Filter
      </button>
    </form>
  );
}

export function AuditPage() {
  const [params] = useSearchParams();
  const query = {
    list: params.get("list") ?? undefined,
    actor: params.get("actor") ?? undefined,
    since: dayStart(params.get("since") ?? ""),
    until: dayAfter(params.get("until") ?? ""),
  };
  const events = usePaged<AuditEvent>("/api/v1/audit", query, 50);
  const filtered = Object.values(query).some(Boolean);
  return (
    <Page
      title="Audit log"
      lead="Every change anyone made, newest first: proposals, votes, decisions, entries, lists, accounts and tokens. It cannot be edited."
    >
      <Filters />
      {events.initial ? (
        <Skeleton lines={8} label="Loading the audit log…" />
      ) : events.error && events.items.length === 0 ? (
        <ErrorBanner error={events.error} title="The audit log could not be loaded" />
      ) : events.items.length === 0 ? (
        <EmptyState
          title={filtered ? "No event matches these filters" : "Nothing has happened yet"}
        >
          {filtered && <p>Widen the dates or clear a filter.</p>}
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table--stack">
              <caption className="visually-hidden">Audit events</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">List</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {events.items.map((event) => (
                  <tr key={event.id}>
                    <td data-label="When" className="nowrap">
                      <AbsoluteTime at={event.at} />
                    </td>
                    <td data-label="Who">
                      {event.actor ? (
                        <>
                          {event.actor.username}
                          {event.actor.instance && (
                            <div className="muted small">@ {event.actor.instance}</div>
                          )}
                        </>
                      ) : (
                        <span className="muted">system</span>
                      )}
                    </td>
                    <td data-label="Action">
                      <code>{event.action}</code>
                    </td>
                    <td data-label="List">{event.list ?? <span className="muted">—</span>}</td>
                    <td data-label="Subject" className="mono">
                      {event.subject}
                    </td>
                    <td data-label="Change">
                      <Change event={event} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {events.error !== null && <ErrorBanner error={events.error} />}
          <MoreButton
            hasMore={events.hasMore}
            loading={events.loading}
            onMore={events.loadMore}
            shown={events.items.length}
            noun={events.items.length === 1 ? "event" : "events"}
          />
        </>
      )}
    </Page>
  );
}
