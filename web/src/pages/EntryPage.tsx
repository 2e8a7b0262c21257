import { useRef, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { api } from "../api/client.js";
import { useResource } from "../api/hooks.js";
import type { Entry, EntryHistory, Tag } from "../api/types.js";
import { SEVERITY_HELP, SeverityBadge, StatusBadge, Tags } from "../components/Badges.js";
import { Banner, ErrorBanner } from "../components/Banner.js";
import { TextAreaField } from "../components/Field.js";
import { ListTabs, useList } from "../components/ListParts.js";
import { Page } from "../components/Page.js";
import { AbsoluteTime, RelativeTime } from "../components/RelativeTime.js";
import { Skeleton } from "../components/States.js";
import { TagChoices } from "../components/TagChoices.js";
import {
  apiFieldErrors,
  errorsAt,
  focusFirstInvalid,
  isHttpUrl,
  placedUnder,
  seg,
  type FieldErrorMap,
} from "../forms.js";
import { isCurator, useSession } from "../session.js";
import { ListNotFound } from "./ListEntriesPage.js";
import { domainLabel } from "../idn.js";

const yesNo = (value: boolean) => (value ? "yes" : "no");

function EntryFacts({ entry }: { entry: Entry }) {
  return (
    <dl className="facts">
      <dt>Severity</dt>
      <dd>
        <SeverityBadge severity={entry.severity} />{" "}
        <span className="muted small">{SEVERITY_HELP[entry.severity].effect}</span>
      </dd>
      <dt>Public reason</dt>
      <dd>{entry.publicComment || <span className="muted">none given</span>}</dd>
      {entry.privateComment !== undefined && (
        <>
          <dt>Private comment</dt>
          <dd>{entry.privateComment || <span className="muted">none</span>}</dd>
        </>
      )}
      <dt>Tags</dt>
      <dd>
        {entry.tags.length > 0 ? <Tags tags={entry.tags} /> : <span className="muted">none</span>}
      </dd>
      <dt>Reject media</dt>
      <dd>{yesNo(entry.rejectMedia)}</dd>
      <dt>Reject reports</dt>
      <dd>{yesNo(entry.rejectReports)}</dd>
      <dt>Obfuscated</dt>
      <dd>{yesNo(entry.obfuscate)}</dd>
      {entry.evidence !== undefined && (
        <>
          <dt>Evidence</dt>
          <dd>
            {entry.evidence.length === 0 ? (
              <span className="muted">none</span>
            ) : (
              <ul>
                {entry.evidence.map((url) => (
                  <li key={url}>
                    <a href={url} rel="noreferrer noopener nofollow" target="_blank">
                      {url}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </>
      )}
      <dt>Listed</dt>
      <dd>
        <AbsoluteTime at={entry.createdAt} />, updated <RelativeTime at={entry.updatedAt} />
      </dd>
    </dl>
  );
}

/** The entry's review date; past it, a member confirms it still holds or proposes removal. */
function Review({
  slug,
  history,
  signedIn,
  onConfirmed,
}: {
  slug: string;
  history: EntryHistory;
  signedIn: boolean;
  onConfirmed: (next: EntryHistory) => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!history.entry || history.reviewAt === null) return null;
  const domain = history.entry.domain;
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      onConfirmed(
        await api.post<EntryHistory>(`/api/v1/lists/${seg(slug)}/entries/${seg(domain)}/review`),
      );
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="review-title">
      <h2 id="review-title">
        Review {history.reviewDue && <span className="badge badge--open">due for review</span>}
      </h2>
      <p>
        {history.reviewDue ? "Due for review since " : "Due for review on "}
        <AbsoluteTime at={history.reviewAt} />
        {history.reviewedAt && (
          <>
            ; last confirmed <RelativeTime at={history.reviewedAt} />
          </>
        )}
        .
      </p>
      {signedIn && (
        <>
          <p className="muted small">
            Confirm that the entry still holds (its review date starts again; recorded in the audit
            log), or propose its removal.
          </p>
          <ErrorBanner error={error} title="The review was not recorded" />
          <div className="form-actions">
            <button
              type="button"
              className={history.reviewDue ? "button button--primary" : "button"}
              disabled={busy}
              onClick={() => void confirm()}
            >
              Confirm it still holds
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function CuratorEdit({
  slug,
  entry,
  onSaved,
}: {
  slug: string;
  entry: Entry;
  onSaved: (entry: Entry) => void;
}) {
  const [open, setOpen] = useState(false);
  const [publicComment, setPublic] = useState(entry.publicComment);
  const [privateComment, setPrivate] = useState(entry.privateComment ?? "");
  const [tags, setTags] = useState<Tag[]>(entry.tags);
  const [evidence, setEvidence] = useState((entry.evidence ?? []).join("\n"));
  const [errors, setErrors] = useState<FieldErrorMap>({});
  const [error, setError] = useState<unknown>(null);
  const form = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Edit reasons, tags and evidence
      </button>
    );
  }
  const links = evidence
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const bad = links.filter((link) => !isHttpUrl(link));
    if (bad.length > 0) {
      setErrors({ evidence: [`not an http(s) link: ${bad.join(", ")}`] });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await api.patch<Entry>(
        `/api/v1/lists/${seg(slug)}/entries/${seg(entry.domain)}`,
        {
          publicComment,
          privateComment,
          tags,
          evidence: links,
        },
      );
      setOpen(false);
      onSaved(saved);
    } catch (failure) {
      setError(failure);
      setErrors(apiFieldErrors(failure));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form ref={form} className="form card" onSubmit={(event) => void submit(event)}>
      <h2>Edit this entry</h2>
      <p className="muted small">
        A curator&apos;s direct edit: no vote, recorded in the audit log. To change the severity or
        flags, propose a change.
      </p>
      <ErrorBanner
        error={error}
        placed={placedUnder("publicComment", "privateComment", "tags", "evidence")}
      />
      <TextAreaField
        label="Public reason"
        errors={errorsAt(errors, "publicComment")}
        value={publicComment}
        onChange={setPublic}
      />
      <TextAreaField
        label="Private comment"
        errors={errorsAt(errors, "privateComment")}
        value={privateComment}
        onChange={setPrivate}
      />
      <TagChoices
        legend="Tags"
        name="edit-tags"
        errors={errorsAt(errors, "tags")}
        value={tags}
        onChange={setTags}
      />
      <TextAreaField
        label="Evidence links"
        hint="One http(s) link per line."
        errors={errorsAt(errors, "evidence")}
        value={evidence}
        onChange={setEvidence}
      />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Save
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function History({ slug, history }: { slug: string; history: EntryHistory }) {
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {history.proposals.length === 0 && history.changes.length === 0 ? (
        <p className="muted">No history yet.</p>
      ) : (
        <div className="stack">
          {history.proposals.length > 0 && (
            <div className="table-wrap">
              <table className="table--stack">
                <caption>Proposals</caption>
                <thead>
                  <tr>
                    <th scope="col">Proposal</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Votes</th>
                    <th scope="col">Opened</th>
                    <th scope="col">Closed</th>
                  </tr>
                </thead>
                <tbody>
                  {history.proposals.map((proposal, index) => (
                    <tr key={proposal.id ?? index}>
                      <td data-label="Proposal">
                        {proposal.id !== undefined ? (
                          <Link to={`/proposals/${proposal.id}`}>
                            {proposal.kind} #{proposal.id}
                          </Link>
                        ) : (
                          proposal.kind
                        )}
                        {proposal.reason && <div className="muted small">{proposal.reason}</div>}
                      </td>
                      <td data-label="Outcome">
                        <StatusBadge status={proposal.status} />
                        {proposal.decidedBy && (
                          <span className="muted small"> by {proposal.decidedBy}</span>
                        )}
                      </td>
                      <td data-label="Votes" className="nowrap">
                        {proposal.tally.yes} yes / {proposal.tally.no} no
                        {proposal.tally.abstain > 0 && ` / ${proposal.tally.abstain} abstain`}
                      </td>
                      <td data-label="Opened">
                        <AbsoluteTime at={proposal.openedAt} />
                      </td>
                      <td data-label="Closed">
                        {proposal.closedAt ? <AbsoluteTime at={proposal.closedAt} /> : "open"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {history.changes.length > 0 && (
            <div className="table-wrap">
              <table>
                <caption>Changes to the list</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      Revision
                    </th>
                    <th scope="col">Change</th>
                    <th scope="col">When</th>
                  </tr>
                </thead>
                <tbody>
                  {history.changes.map((change) => (
                    <tr key={change.revision}>
                      <td className="num">{change.revision}</td>
                      <td>{change.action}</td>
                      <td>
                        <AbsoluteTime at={change.at} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
      <p className="muted small">
        Public visitors see outcomes and counts only, never who voted.{" "}
        <Link to={`/l/${seg(slug)}`}>Back to the list</Link>
      </p>
    </section>
  );
}

export function EntryPage() {
  const { slug = "", domain = "" } = useParams();
  const { me } = useSession();
  const list = useList(slug);
  const entry = useResource<EntryHistory>(`/api/v1/lists/${seg(slug)}/entries/${seg(domain)}`);
  const [saved, setSaved] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  if (list.error) return <ListNotFound error={list.error} />;
  const history = entry.data;
  // The list's tabs, the entry and its buttons appear together, in place of the skeleton, so none
  // of them pushes the others down when its own request answers first.
  const loading = !list.data || (!history && !entry.error);
  return (
    <Page
      title={domainLabel(domain)}
      eyebrow={
        <>
          Entry on <Link to={`/l/${seg(slug)}`}>{list.data?.name ?? slug}</Link>
        </>
      }
      actions={
        !me && !loading && history?.listed && list.data?.visibility === "public" ? (
          <Link className="button" to={`/l/${seg(slug)}/entries/${seg(domain)}/appeal`}>
            Appeal this entry
          </Link>
        ) : (
          me &&
          !loading &&
          history && (
            <>
              {history.listed ? (
                <>
                  <Link
                    className="button"
                    to={`/l/${seg(slug)}/propose?kind=change&domain=${seg(domain)}`}
                  >
                    Propose a change
                  </Link>
                  <Link
                    className="button"
                    to={`/l/${seg(slug)}/propose?kind=remove&domain=${seg(domain)}`}
                  >
                    Propose removal
                  </Link>
                </>
              ) : (
                <Link
                  className="button button--primary"
                  to={`/l/${seg(slug)}/propose?kind=add&domain=${seg(domain)}`}
                >
                  Propose to add it again
                </Link>
              )}
            </>
          )
        )
      }
    >
      {list.data && !loading && <ListTabs list={list.data} />}
      {saved && <Banner kind="success">The entry is saved.</Banner>}
      {confirmed && (
        <Banner kind="success">Confirmed: the entry&apos;s review date starts again.</Banner>
      )}
      {!loading && <ErrorBanner error={entry.error} title="The entry could not be loaded" />}
      {loading ? (
        <Skeleton lines={8} />
      ) : (
        history && (
          <div className="stack-lg">
            {history.entry ? (
              <section className="card" aria-label="The entry now">
                <EntryFacts entry={history.entry} />
              </section>
            ) : (
              <Banner kind="info">{domainLabel(domain)} is not on this list any more.</Banner>
            )}
            <Review
              slug={slug}
              history={history}
              signedIn={Boolean(me)}
              onConfirmed={(next) => {
                entry.setData(next);
                setConfirmed(true);
              }}
            />
            {history.entry && isCurator(me) && (
              <CuratorEdit
                key={history.entry.updatedAt}
                slug={slug}
                entry={history.entry}
                onSaved={() => {
                  setSaved(true);
                  entry.reload();
                }}
              />
            )}
            <History slug={slug} history={history} />
          </div>
        )
      )}
    </Page>
  );
}
