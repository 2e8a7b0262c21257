// A listed instance's appeal, public (docs/appeals.md): its status, how to prove the domain
// while it is unverified, the outcome and public reasons once decided (counts, never who
// voted), and the appellant's comments, posted with the appeal token.
import { useRef, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { api } from "../api/client.js";
import { useResource } from "../api/hooks.js";
import type { AppealView } from "../api/types.js";
import { Banner, ErrorBanner } from "../components/Banner.js";
import { CopyField } from "../components/CopyField.js";
import { TextAreaField, TextField } from "../components/Field.js";
import { Page } from "../components/Page.js";
import { AbsoluteTime, RelativeTime } from "../components/RelativeTime.js";
import { Skeleton } from "../components/States.js";
import {
  apiFieldErrors,
  errorsAt,
  focusFirstInvalid,
  placedUnder,
  seg,
  type FieldErrorMap,
} from "../forms.js";
import { domainLabel } from "../idn.js";

const STATUS_TEXT: Record<AppealView["status"], string> = {
  unverified: "Waiting for the domain to serve its token",
  open: "Open: the members are voting",
  passed: "Upheld",
  rejected: "Rejected",
};

function Verification({ appeal, onVerified }: { appeal: AppealView; onVerified: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!appeal.verification) return null;
  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/appeals/${appeal.id}/verify`);
      onVerified();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="verify-title">
      <h2 id="verify-title">Prove you speak for {domainLabel(appeal.domain)}</h2>
      <p>
        Serve the token below as a plain text file at this address, then check it here. Until then
        the members do not see the appeal.
      </p>
      <CopyField label="Address" value={appeal.verification.url} />
      <CopyField label="Token" value={appeal.verification.token} />
      <ErrorBanner error={error} title="The domain was not verified" />
      <div className="form-actions">
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => void verify()}
        >
          Check the domain now
        </button>
      </div>
    </section>
  );
}

function Outcome({ appeal }: { appeal: AppealView }) {
  const proposal = appeal.proposal;
  if (!proposal) return null;
  return (
    <section className="card" aria-labelledby="outcome-title">
      <h2 id="outcome-title">Outcome</h2>
      <dl className="facts">
        <dt>Proposal</dt>
        <dd>
          {proposal.kind} #{proposal.id}, opened <AbsoluteTime at={proposal.openedAt} />
        </dd>
        <dt>Votes</dt>
        <dd>
          {proposal.tally.yes} yes / {proposal.tally.no} no / {proposal.tally.abstain} abstain
        </dd>
        {proposal.status === "open" ? (
          <>
            <dt>Voting closes</dt>
            <dd>
              <RelativeTime at={proposal.closesAt} />
            </dd>
          </>
        ) : (
          <>
            <dt>Decided</dt>
            <dd>
              {proposal.decidedBy === "curator" ? "by a curator" : "by the members' votes"}
              {proposal.closedAt && (
                <>
                  , <AbsoluteTime at={proposal.closedAt} />
                </>
              )}
            </dd>
          </>
        )}
        {proposal.decisionReason !== null && (
          <>
            <dt>Curator&apos;s reason</dt>
            <dd className="thread__body">{proposal.decisionReason}</dd>
          </>
        )}
      </dl>
      <p className="muted small">Counts only: who voted is never shown outside the members.</p>
    </section>
  );
}

function Comments({
  appeal,
  onPosted,
}: {
  appeal: AppealView;
  onPosted: (next: AppealView) => void;
}) {
  const [appealToken, setToken] = useState("");
  const [body, setBody] = useState("");
  const [errors, setErrors] = useState<FieldErrorMap>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const closed = appeal.status === "passed" || appeal.status === "rejected";
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing: FieldErrorMap = {};
    if (!appealToken.trim()) missing.appealToken = ["paste the appeal token you were given"];
    if (!body.trim()) missing.body = ["write something first"];
    if (Object.keys(missing).length > 0) {
      setErrors(missing);
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      const next = await api.post<AppealView>(`/api/v1/appeals/${appeal.id}/comments`, {
        appealToken: appealToken.trim(),
        body: body.trim(),
      });
      setBody("");
      onPosted(next);
    } catch (failure) {
      setError(failure);
      setErrors(apiFieldErrors(failure));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="comments-title">
      <h2 id="comments-title">The appellant&apos;s comments ({appeal.comments.length})</h2>
      {appeal.comments.length === 0 ? (
        <p className="muted">No comments yet.</p>
      ) : (
        <ul className="thread">
          {appeal.comments.map((comment) => (
            <li key={comment.id} className="thread__item">
              <div className="thread__head">
                <strong>{domainLabel(appeal.domain)}</strong>
                <RelativeTime at={comment.at} />
              </div>
              <p className="thread__body">{comment.body}</p>
            </li>
          ))}
        </ul>
      )}
      {!closed && (
        <>
          <ErrorBanner
            error={error}
            title="The comment was not posted"
            placed={placedUnder("appealToken", "body")}
          />
          <form ref={form} className="form" onSubmit={(event) => void submit(event)}>
            <TextField
              label="Appeal token"
              hint="The token shown once when the appeal was made (fba_…)."
              autoComplete="off"
              errors={errorsAt(errors, "appealToken")}
              value={appealToken}
              onChange={setToken}
            />
            <TextAreaField
              label="Add a comment"
              errors={errorsAt(errors, "body")}
              rows={3}
              value={body}
              onChange={setBody}
            />
            <div className="form-actions">
              <button type="submit" className="button" disabled={busy}>
                Post comment
              </button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}

export function AppealPage() {
  const { id = "" } = useParams();
  const appeal = useResource<AppealView>(`/api/v1/appeals/${seg(id)}`);
  const [message, setMessage] = useState<string | null>(null);
  const data = appeal.data;
  if (!data) {
    return (
      <Page title={appeal.error ? "Appeal not found" : "Loading appeal…"}>
        <ErrorBanner error={appeal.error} title="The appeal could not be loaded" />
        {!appeal.error && <Skeleton lines={8} />}
      </Page>
    );
  }
  return (
    <Page
      title={`Appeal of ${domainLabel(data.domain)}`}
      eyebrow={
        <>
          Appeal #{data.id} on <Link to={`/l/${seg(data.list)}`}>{data.list}</Link>
        </>
      }
    >
      {message && <Banner kind="success">{message}</Banner>}
      <Banner
        kind={data.status === "passed" ? "success" : "info"}
        title={`Status: ${STATUS_TEXT[data.status]}`}
      >
        <p>
          {data.kind === "remove" ? "Asks to remove" : "Asks to change"} the entry for{" "}
          <Link className="mono" to={`/l/${seg(data.list)}/entries/${seg(data.domain)}`}>
            {domainLabel(data.domain)}
          </Link>
          , made <AbsoluteTime at={data.createdAt} />.
        </p>
      </Banner>
      <div className="grid-2">
        <div className="stack-lg">
          <section className="card" aria-label="The appeal">
            <dl className="facts">
              <dt>Rebuttal</dt>
              <dd className="thread__body">{data.rebuttal}</dd>
              <dt>Links</dt>
              <dd>
                {data.links.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  <ul>
                    {data.links.map((url) => (
                      <li key={url}>
                        <a href={url} rel="noreferrer noopener nofollow" target="_blank">
                          {url}
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
              {data.fields && (
                <>
                  <dt>Asks for</dt>
                  <dd className="mono small">
                    {Object.entries(data.fields)
                      .map(([field, value]) => `${field}: ${String(value)}`)
                      .join(", ")}
                  </dd>
                </>
              )}
              <dt>The list&apos;s public reason</dt>
              <dd>
                {data.listedReason === null ? (
                  <span className="muted">not listed any more</span>
                ) : (
                  data.listedReason || <span className="muted">none given</span>
                )}
              </dd>
            </dl>
          </section>
          <Outcome appeal={data} />
        </div>
        <div className="stack-lg">
          <Verification
            appeal={data}
            onVerified={() => {
              setMessage("The domain is verified: the members now vote on the appeal.");
              appeal.reload();
            }}
          />
          <Comments
            appeal={data}
            onPosted={(next) => {
              appeal.setData(next);
              setMessage("Your comment is posted.");
            }}
          />
        </div>
      </div>
    </Page>
  );
}
