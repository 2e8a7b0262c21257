// A list's upstream sources (docs/members.md "Sources"): what the list follows, each source's
// state (last success, last error, the last poll's report) and the proposals it opened; curators
// add, poll and remove sources.
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { api } from "../api/client.js";
import { useResource } from "../api/hooks.js";
import { SEVERITIES, type BlockList, type Severity, type Tag } from "../api/types.js";
import type { SourceView } from "../../../server/sources/source.schema.js";
import { SeverityBadge, Tags } from "../components/Badges.js";
import { Banner, ErrorBanner } from "../components/Banner.js";
import { ConfirmDialog } from "../components/ConfirmDialog.js";
import { SelectField, TextField } from "../components/Field.js";
import { ListTabs, useList } from "../components/ListParts.js";
import { Page } from "../components/Page.js";
import { RelativeTime } from "../components/RelativeTime.js";
import { EmptyState, Skeleton } from "../components/States.js";
import { TagChoices } from "../components/TagChoices.js";
import { errorsAt, placedUnder, seg } from "../forms.js";
import { isCurator, useSession } from "../session.js";
import { useFormSubmit } from "../useFormSubmit.js";
import { ListNotFound } from "./ListEntriesPage.js";

function AddSourceForm({ list, onAdded }: { list: BlockList; onAdded: (url: string) => void }) {
  const [kind, setKind] = useState<"blocklist" | "fires">("blocklist");
  const [url, setUrl] = useState("");
  const [maxSeverity, setMaxSeverity] = useState<Severity>("suspend");
  const [tags, setTags] = useState<Tag[]>([]);
  const [cap, setCap] = useState("50");
  const [minutes, setMinutes] = useState("60");
  const { form, busy, error, errors, run } = useFormSubmit();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run({
      send: async () => {
        await api.post(`/api/v1/lists/${seg(list.slug)}/sources`, {
          kind,
          url: url.trim(),
          maxSeverity,
          tags,
          maxProposalsPerPoll: Number(cap),
          pollMinutes: Number(minutes),
        });
        setUrl("");
        setTags([]);
        onAdded(url.trim());
      },
    });
  };

  return (
    <form ref={form} className="form" onSubmit={submit}>
      <ErrorBanner
        error={error}
        title="The source was not added"
        placed={placedUnder(
          "kind",
          "url",
          "maxSeverity",
          "tags",
          "maxProposalsPerPoll",
          "pollMinutes",
        )}
      />
      <div className="form-row">
        <SelectField
          label="Kind"
          errors={errorsAt(errors, "kind")}
          value={kind}
          onChange={(value) => setKind(value as "blocklist" | "fires")}
        >
          <option value="blocklist">Blocklist file (Mastodon CSV, FediBlockHole, TXT)</option>
          <option value="fires">FIRES dataset</option>
        </SelectField>
        <TextField
          label="URL"
          hint={
            kind === "fires"
              ? "The dataset's URL, such as https://fires.example/datasets/…"
              : "The file's URL, such as https://example.org/blocklist.csv"
          }
          errors={errorsAt(errors, "url")}
          type="url"
          value={url}
          spellCheck={false}
          required
          onChange={setUrl}
        />
      </div>
      <div className="form-row">
        <SelectField
          label="Strictest severity it may propose"
          hint="Stricter upstream entries are proposed at this one."
          errors={errorsAt(errors, "maxSeverity")}
          value={maxSeverity}
          onChange={(value) => setMaxSeverity(value as Severity)}
        >
          {SEVERITIES.map((severity) => (
            <option key={severity} value={severity}>
              {severity}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Most proposals per poll"
          hint="A poll that would open more opens none and says so."
          errors={errorsAt(errors, "maxProposalsPerPoll")}
          type="number"
          min={1}
          max={5000}
          value={cap}
          onChange={setCap}
        />
        <TextField
          label="Poll every (minutes)"
          errors={errorsAt(errors, "pollMinutes")}
          type="number"
          min={5}
          max={10080}
          value={minutes}
          onChange={setMinutes}
        />
      </div>
      <TagChoices
        legend="Tags its proposals carry (optional)"
        name="source-tags"
        errors={errorsAt(errors, "tags")}
        value={tags}
        onChange={setTags}
      />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Follow this source
        </button>
      </div>
    </form>
  );
}

function SourceState({ source }: { source: SourceView }) {
  const report = source.lastReport;
  const failing = report?.outcome === "failed";
  return (
    <dl className="facts">
      <div>
        <dt>Last success</dt>
        <dd>{source.lastSuccessAt ? <RelativeTime at={source.lastSuccessAt} /> : "never"}</dd>
      </div>
      <div>
        <dt>Last error</dt>
        <dd>
          {source.lastError && source.lastErrorAt ? (
            <>
              <RelativeTime at={source.lastErrorAt} />
              {failing ? " (still failing)" : ""}: {source.lastError}
            </>
          ) : (
            "none"
          )}
        </dd>
      </div>
      <div>
        <dt>Last poll</dt>
        <dd>
          {report?.outcome === "failed"
            ? "changed nothing (see the last error)"
            : report
              ? `${report.read} read, ${report.opened.length} proposals opened, ${report.skipped.length} skipped${report.ignored ? `, ${report.ignored} ignored` : ""}`
              : "not polled yet"}
        </dd>
      </div>
      <div>
        <dt>Next poll</dt>
        <dd>
          <RelativeTime at={source.nextPollAt} />
        </dd>
      </div>
    </dl>
  );
}

function SourceCard({
  source,
  curator,
  onPolled,
  onRemove,
}: {
  source: SourceView;
  curator: boolean;
  onPolled: (source: SourceView) => void;
  onRemove: (source: SourceView) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = `source-${source.id}`;
  const poll = async () => {
    setBusy(true);
    setError(null);
    try {
      onPolled(
        await api.post<SourceView>(`/api/v1/lists/${seg(source.list)}/sources/${source.id}/poll`),
      );
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card stack" aria-labelledby={titleId}>
      <h3 id={titleId} className="mono">
        {source.url}
      </h3>
      <p className="small">
        {source.kind === "fires" ? "FIRES dataset" : "Blocklist file"}, at most{" "}
        <SeverityBadge severity={source.maxSeverity} />, up to {source.maxProposalsPerPoll}{" "}
        proposals per poll, every {source.pollMinutes} minutes
        {source.tags.length > 0 && (
          <>
            , tagged <Tags tags={source.tags as Tag[]} />
          </>
        )}
        .
      </p>
      <SourceState source={source} />
      <ErrorBanner error={error} title="The poll did not run" />
      {source.lastReport && source.lastReport.skipped.length > 0 && (
        <details>
          <summary>Skipped in the last poll ({source.lastReport.skipped.length})</summary>
          <ul>
            {source.lastReport.skipped.map((skip) => (
              <li key={skip.domain}>{skip.message}</li>
            ))}
          </ul>
        </details>
      )}
      <h4>Proposals it opened</h4>
      {source.proposals.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul>
          {source.proposals.map((proposal) => (
            <li key={proposal.id}>
              <Link to={`/proposals/${proposal.id}`}>
                {proposal.kind} {proposal.domain}
              </Link>{" "}
              <span className="muted">({proposal.status})</span>
            </li>
          ))}
        </ul>
      )}
      {curator && (
        <div className="form-actions">
          <button type="button" className="button button--small" disabled={busy} onClick={poll}>
            Poll now<span className="visually-hidden"> {source.url}</span>
          </button>
          <button type="button" className="button button--small" onClick={() => onRemove(source)}>
            Remove<span className="visually-hidden"> {source.url}</span>
          </button>
        </div>
      )}
    </section>
  );
}

export function SourcesPage() {
  const { slug = "" } = useParams();
  const { me } = useSession();
  const curator = isCurator(me);
  const list = useList(slug);
  const sources = useResource<{ items: SourceView[] }>(`/api/v1/lists/${seg(slug)}/sources`);
  const [message, setMessage] = useState<string | null>(null);
  const [removing, setRemoving] = useState<SourceView | null>(null);
  const [removeError, setRemoveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await api.delete(`/api/v1/lists/${seg(slug)}/sources/${removing.id}`);
      setMessage(`The list no longer follows ${removing.url}.`);
      setRemoving(null);
      setRemoveError(null);
      sources.reload();
    } catch (failure) {
      setRemoveError(failure);
    } finally {
      setBusy(false);
    }
  };

  if (list.error) return <ListNotFound error={list.error} />;
  return (
    <Page
      title="Sources"
      eyebrow={list.data ? <Link to={`/l/${seg(slug)}`}>{list.data.name}</Link> : slug}
      lead="Upstream blocklists this list follows. What changes upstream becomes a proposal with no proposer: nothing is listed until the members vote for it."
    >
      {message && <Banner kind="success">{message}</Banner>}
      {list.data ? (
        <div className="stack-lg">
          <ListTabs list={list.data} />
          {curator && (
            <section className="card stack" aria-labelledby="add-source-title">
              <h2 id="add-source-title">Follow a source</h2>
              <AddSourceForm
                list={list.data}
                onAdded={(url) => {
                  setMessage(
                    `${list.data!.name} now follows ${url}; it is polled within a minute.`,
                  );
                  sources.reload();
                }}
              />
            </section>
          )}
          <section className="stack" aria-labelledby="sources-title">
            <h2 id="sources-title">Followed sources</h2>
            <ErrorBanner error={sources.error} title="The sources could not be loaded" />
            {!sources.data ? (
              <Skeleton lines={4} label="Loading sources…" />
            ) : sources.data.items.length === 0 ? (
              <EmptyState title="This list follows no source">
                <p>
                  {curator
                    ? "Add a FIRES dataset or a blocklist file above."
                    : "A curator can add FIRES datasets or blocklist files for it to follow."}
                </p>
              </EmptyState>
            ) : (
              sources.data.items.map((source) => (
                <SourceCard
                  key={source.id}
                  source={source}
                  curator={curator}
                  onPolled={(polled) => {
                    sources.setData({
                      items: sources.data!.items.map((s) => (s.id === polled.id ? polled : s)),
                    });
                  }}
                  onRemove={(chosen) => {
                    setRemoveError(null);
                    setRemoving(chosen);
                  }}
                />
              ))
            )}
          </section>
        </div>
      ) : (
        <Skeleton lines={6} />
      )}
      <ConfirmDialog
        open={removing !== null}
        title="Stop following this source?"
        confirmLabel="Remove source"
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(null)}
      >
        <p>
          {removing?.url} will no longer be polled. The proposals it opened stay open for the
          members to decide.
        </p>
        <ErrorBanner error={removeError} title="The source was not removed" />
      </ConfirmDialog>
    </Page>
  );
}
