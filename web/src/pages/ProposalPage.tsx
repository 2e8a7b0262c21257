import { useRef, useState, type FormEvent, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import { api } from "../api/client.js";
import { useResource } from "../api/hooks.js";
import {
  SEVERITIES,
  type ProposalDetail,
  type ProposalHistoryItem,
  type ProposedFields,
  type Severity,
  type VoteValue,
} from "../api/types.js";
import { SEVERITY_HELP, SeverityBadge, StatusBadge, VoteBadge } from "../components/Badges.js";
import { Banner, ErrorBanner } from "../components/Banner.js";
import { ConfirmDialog } from "../components/ConfirmDialog.js";
import { Choice, Choices, SelectField, TextAreaField } from "../components/Field.js";
import { Page } from "../components/Page.js";
import {
  ProposedSeverity,
  TimeLeft,
  proposalTitle,
  proposedBy,
} from "../components/ProposalParts.js";
import { AbsoluteTime, RelativeTime } from "../components/RelativeTime.js";
import { Skeleton } from "../components/States.js";
import { TallyBar } from "../components/TallyBar.js";
import {
  apiFieldErrors,
  errorsAt,
  focusFirstInvalid,
  placedUnder,
  seg,
  type FieldErrorMap,
} from "../forms.js";
import { isCurator, useSession } from "../session.js";
import { domainLabel } from "../idn.js";

const FIELD_LABELS: Record<keyof ProposedFields, string> = {
  severity: "Severity",
  rejectMedia: "Reject media",
  rejectReports: "Reject reports",
  obfuscate: "Obfuscate",
  publicComment: "Public reason",
  privateComment: "Private comment",
  tags: "Tags",
  evidence: "Evidence",
};
const FIELD_ORDER = Object.keys(FIELD_LABELS) as (keyof ProposedFields)[];

function show(value: unknown): ReactNode {
  if (value === undefined || value === null) return <span className="muted">—</span>;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    return value.join(", ");
  }
  if (value === "") return <span className="muted">empty</span>;
  if (SEVERITIES.includes(value as Severity)) return <SeverityBadge severity={value as Severity} />;
  return String(value);
}

function ProposedChange({ proposal }: { proposal: ProposalDetail }) {
  const fields = FIELD_ORDER.filter((field) => proposal[field] !== undefined);
  if (proposal.kind === "remove") {
    return (
      <section className="card" aria-labelledby="change-title">
        <h2 id="change-title">Removal</h2>
        <p>
          If this passes, <strong className="mono">{domainLabel(proposal.domain)}</strong> leaves
          the list and subscribers lift their block on their next sync.
        </p>
        {proposal.current && (
          <dl className="facts">
            <dt>Listed now as</dt>
            <dd>
              <SeverityBadge severity={proposal.current.severity} />
            </dd>
            <dt>Public reason</dt>
            <dd>{show(proposal.current.publicComment)}</dd>
          </dl>
        )}
      </section>
    );
  }
  if (proposal.kind === "add") {
    return (
      <section className="card" aria-labelledby="change-title">
        <h2 id="change-title">Proposed entry</h2>
        <dl className="facts">
          {fields.map((field) => (
            <FragmentRow key={field} label={FIELD_LABELS[field]}>
              {field === "evidence" && proposal.evidence ? (
                <EvidenceLinks links={proposal.evidence} />
              ) : (
                show(proposal[field])
              )}
            </FragmentRow>
          ))}
        </dl>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="change-title">
      <h2 id="change-title">Proposed change</h2>
      <div className="table-wrap">
        <table className="table--stack">
          <caption className="visually-hidden">The entry now and as proposed</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Now</th>
              <th scope="col">Proposed</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr key={field}>
                <th scope="row">{FIELD_LABELS[field]}</th>
                <td data-label="Now">
                  <span className="diff-old">
                    <span className="visually-hidden">now: </span>
                    {show(proposal.current?.[field])}
                  </span>
                </td>
                <td data-label="Proposed">
                  <span className="diff-new">
                    <span className="visually-hidden">proposed: </span>
                    {show(proposal[field])}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function FragmentRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function EvidenceLinks({ links }: { links: string[] }) {
  if (links.length === 0) return <span className="muted">none</span>;
  return (
    <ul>
      {links.map((url) => (
        <li key={url}>
          <a href={url} target="_blank" rel="noreferrer noopener nofollow">
            {url}
          </a>
        </li>
      ))}
    </ul>
  );
}

function VoteForm({
  proposal,
  onChange,
}: {
  proposal: ProposalDetail;
  onChange: (next: ProposalDetail, message: string) => void;
}) {
  const [vote, setVote] = useState<VoteValue | "">(proposal.myVote?.vote ?? "");
  const [severity, setSeverity] = useState<Severity | "">(proposal.myVote?.severity ?? "");
  const [comment, setComment] = useState(proposal.myVote?.comment ?? "");
  const form = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrorMap>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const setsSeverity = proposal.severity !== undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!vote) {
      setErrors({ vote: ["choose yes, no or abstain"] });
      return;
    }
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      const next = await api.put<ProposalDetail>(`/api/v1/proposals/${proposal.id}/vote`, {
        vote,
        ...(setsSeverity && severity && vote === "yes" ? { severity } : {}),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      onChange(
        next,
        next.status === "passed"
          ? "Your vote passed the proposal: it is applied to the list."
          : `Your instance's vote is recorded: ${vote}.`,
      );
    } catch (failure) {
      setError(failure);
      setErrors(apiFieldErrors(failure));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  };

  const retract = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.delete(`/api/v1/proposals/${proposal.id}/vote`);
      const next = await api.get<ProposalDetail>(`/api/v1/proposals/${proposal.id}`);
      setVote("");
      setSeverity("");
      setComment("");
      onChange(next, "Your instance's vote is retracted.");
    } catch (failure) {
      setError(failure);
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="vote-title">
      <h2 id="vote-title">{proposal.myVote ? "Change your instance's vote" : "Vote"}</h2>
      {proposal.myVote && (
        <p>
          Your instance voted <VoteBadge vote={proposal.myVote.vote} />
          {proposal.myVote.severity && <> for {proposal.myVote.severity}</>} (by{" "}
          {proposal.myVote.by}). Anyone on your instance may change or retract it while the proposal
          is open.
        </p>
      )}
      <ErrorBanner
        error={error}
        title="The vote was not recorded"
        placed={placedUnder("vote", "severity", "comment")}
      />
      <form ref={form} className="form" onSubmit={(event) => void submit(event)}>
        <Choices legend="Your vote" errors={errorsAt(errors, "vote")} inline>
          {(["yes", "no", "abstain"] as const).map((value) => (
            <Choice
              key={value}
              type="radio"
              name="vote"
              value={value}
              label={value === "yes" ? "Yes" : value === "no" ? "No" : "Abstain"}
              checked={vote === value}
              onChange={() => setVote(value)}
            />
          ))}
        </Choices>
        {setsSeverity && (
          <SelectField
            label="Severity you prefer"
            hint={`Counts only with a yes vote. The list applies the ${proposal.policy.severityRule === "strictest" ? "strictest" : "most common"} severity among yes votes.`}
            errors={errorsAt(errors, "severity")}
            optional
            value={severity}
            onChange={(value) => setSeverity(value as Severity | "")}
          >
            <option value="">As proposed ({proposal.severity})</option>
            {SEVERITIES.map((value) => (
              <option key={value} value={value}>
                {SEVERITY_HELP[value].label}: {SEVERITY_HELP[value].effect}
              </option>
            ))}
          </SelectField>
        )}
        <TextAreaField
          label="Comment"
          errors={errorsAt(errors, "comment")}
          optional
          rows={3}
          value={comment}
          onChange={setComment}
        />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {proposal.myVote ? "Change vote" : "Cast vote"}
          </button>
          {proposal.myVote && (
            <button type="button" className="button" disabled={busy} onClick={() => void retract()}>
              Retract vote
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

function Votes({ proposal }: { proposal: ProposalDetail }) {
  return (
    <section className="card" aria-labelledby="votes-title">
      <h2 id="votes-title">Votes ({proposal.votes.length})</h2>
      {proposal.status === "open" && <SeverityTie proposal={proposal} />}
      {proposal.votes.length === 0 ? (
        <p className="muted">No votes yet.</p>
      ) : (
        <ul className="thread">
          {proposal.votes.map((vote) => (
            <li key={vote.instance} className="thread__item">
              <div className="thread__head">
                <strong>{vote.instance}</strong>
                <VoteBadge vote={vote.vote} />
                {vote.severity && <SeverityBadge severity={vote.severity} />}
                <span>
                  by {vote.username}, <RelativeTime at={vote.at} />
                </span>
              </div>
              {vote.comment && <p className="thread__body">{vote.comment}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const tallyText = (tally: ProposalHistoryItem["tally"]) =>
  tally ? `: ${tally.yes} yes, ${tally.no} no, ${tally.abstain} abstain` : "";

function HistoryStep({ item, showComment }: { item: ProposalHistoryItem; showComment: boolean }) {
  const who = item.actor ? (
    <>
      <strong>{item.actor}</strong>
      {item.instance && <> ({item.instance})</>}
    </>
  ) : null;
  let what: ReactNode;
  switch (item.action) {
    case "opened":
      // A proposal no member made (a source's, an appeal's) opens with no actor and no vote.
      what = who ? (
        <>{who} opened the proposal; their instance votes yes</>
      ) : (
        <>Opened with no proposer and no vote</>
      );
      break;
    case "voteCast":
    case "voteChanged":
      what = (
        <>
          {who}{" "}
          {item.action === "voteChanged" && item.previousVote ? (
            <>changed their instance&apos;s vote from {item.previousVote} to</>
          ) : (
            "voted"
          )}{" "}
          {item.vote && <VoteBadge vote={item.vote} />}
          {item.severity && (
            <>
              {" "}
              for <SeverityBadge severity={item.severity} />
            </>
          )}
        </>
      );
      break;
    case "voteRetracted":
      what = (
        <>
          {who} retracted their instance&apos;s vote{item.vote && <> ({item.vote})</>}
        </>
      );
      break;
    case "withdrawn":
      what = <>{who} withdrew the proposal</>;
      break;
    case "decided":
      what = (
        <>
          {who} decided it: <strong>{item.outcome}</strong>
          {item.reason && <>, “{item.reason}”</>}
        </>
      );
      break;
    case "passed":
      what = (
        <>
          <strong>Passed</strong> by the votes{tallyText(item.tally)}
        </>
      );
      break;
    case "rejected":
      what = (
        <>
          <strong>Rejected</strong>: the voting window closed without enough support
          {tallyText(item.tally)}
        </>
      );
      break;
  }
  return (
    <li className={`timeline__item timeline__item--${item.outcome ?? item.action}`}>
      <AbsoluteTime at={item.at} />
      <p className="timeline__text">{what}</p>
      {showComment && item.comment && <p className="thread__body small">“{item.comment}”</p>}
    </li>
  );
}

/**
 * What happened, oldest first. A vote's comment is quoted only once the instance's vote has
 * since changed or been retracted: the current vote's comment is shown under Votes.
 */
function History({ proposal }: { proposal: ProposalDetail }) {
  const isVote = (item: ProposalHistoryItem) => item.action.startsWith("vote");
  const superseded = (index: number) => {
    const item = proposal.history[index]!;
    return proposal.history
      .slice(index + 1)
      .some((later) => isVote(later) && later.instance === item.instance);
  };
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ol className="timeline" aria-labelledby="history-title">
        {proposal.history.map((item, index) => (
          <HistoryStep key={item.id} item={item} showComment={isVote(item) && superseded(index)} />
        ))}
      </ol>
    </section>
  );
}

function Discussion({
  proposal,
  onChange,
}: {
  proposal: ProposalDetail;
  onChange: (next: ProposalDetail, message: string) => void;
}) {
  const [body, setBody] = useState("");
  const form = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrorMap>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) {
      setErrors({ body: ["write something first"] });
      return;
    }
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      const next = await api.post<ProposalDetail>(`/api/v1/proposals/${proposal.id}/comments`, {
        body: body.trim(),
      });
      setBody("");
      onChange(next, "Your comment is posted.");
    } catch (failure) {
      setError(failure);
      setErrors(apiFieldErrors(failure));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="discussion-title">
      <h2 id="discussion-title">Discussion ({proposal.comments.length})</h2>
      {proposal.comments.length === 0 ? (
        <p className="muted">No comments yet. Ask a question or add context for the voters.</p>
      ) : (
        <ul className="thread">
          {proposal.comments.map((comment) => (
            <li key={comment.id} className="thread__item">
              <div className="thread__head">
                <strong>{comment.username}</strong>
                {comment.instance && <span>@ {comment.instance}</span>}
                <RelativeTime at={comment.at} />
              </div>
              <p className="thread__body">{comment.body}</p>
            </li>
          ))}
        </ul>
      )}
      <ErrorBanner error={error} title="The comment was not posted" placed={placedUnder("body")} />
      <form ref={form} className="form" onSubmit={(event) => void submit(event)}>
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
    </section>
  );
}

function Actions({
  proposal,
  onChange,
}: {
  proposal: ProposalDetail;
  onChange: (next: ProposalDetail, message: string) => void;
}) {
  const { me } = useSession();
  const [dialog, setDialog] = useState<"withdraw" | "decide" | null>(null);
  const [outcome, setOutcome] = useState<"passed" | "rejected">("passed");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FieldErrorMap>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const curator = isCurator(me) && proposal.status === "open";
  if (!proposal.canWithdraw && !curator) return null;

  const close = () => {
    setDialog(null);
    setErrors({});
    setError(null);
  };
  const withdraw = async () => {
    setBusy(true);
    try {
      const next = await api.post<ProposalDetail>(`/api/v1/proposals/${proposal.id}/withdraw`);
      close();
      onChange(next, "The proposal is withdrawn.");
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const decide = async () => {
    if (!reason.trim()) {
      setErrors({ reason: ["say why, for the record"] });
      return;
    }
    setBusy(true);
    try {
      const next = await api.post<ProposalDetail>(`/api/v1/proposals/${proposal.id}/decide`, {
        outcome,
        reason: reason.trim(),
      });
      close();
      onChange(next, `You decided the proposal: ${outcome}.`);
    } catch (failure) {
      setError(failure);
      setErrors(apiFieldErrors(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cluster">
      {proposal.canWithdraw && (
        <button type="button" className="button" onClick={() => setDialog("withdraw")}>
          Withdraw
        </button>
      )}
      {curator && (
        <button type="button" className="button" onClick={() => setDialog("decide")}>
          Decide now
        </button>
      )}
      <ConfirmDialog
        open={dialog === "withdraw"}
        title="Withdraw this proposal?"
        confirmLabel="Withdraw proposal"
        danger
        busy={busy}
        onConfirm={() => void withdraw()}
        onCancel={close}
      >
        <p>
          Voting stops and the proposal closes as withdrawn. Anyone may propose{" "}
          {domainLabel(proposal.domain)} again later.
        </p>
        <ErrorBanner error={error} />
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "decide"}
        title="Decide this proposal"
        confirmLabel="Record decision"
        busy={busy}
        onConfirm={() => void decide()}
        onCancel={close}
      >
        <p className="muted small">
          A curator&apos;s decision closes the proposal now, whatever the votes say. It is recorded
          with your reason in the audit log.
        </p>
        <ErrorBanner error={error} placed={placedUnder("reason", "outcome")} />
        <Choices legend="Outcome" inline errors={errorsAt(errors, "outcome")}>
          <Choice
            type="radio"
            name="outcome"
            value="passed"
            label="Pass (apply it)"
            checked={outcome === "passed"}
            onChange={() => setOutcome("passed")}
          />
          <Choice
            type="radio"
            name="outcome"
            value="rejected"
            label="Reject"
            checked={outcome === "rejected"}
            onChange={() => setOutcome("rejected")}
          />
        </Choices>
        <TextAreaField
          label="Reason"
          errors={errorsAt(errors, "reason")}
          rows={3}
          value={reason}
          onChange={setReason}
        />
      </ConfirmDialog>
    </div>
  );
}

const listed = (words: string[]) =>
  words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;

/** Under `majority`, a tie among the yes votes' severities went (or goes) to the stricter. */
function SeverityTie({ proposal }: { proposal: ProposalDetail }) {
  const tie = proposal.severityTie;
  if (!tie || proposal.status === "rejected" || proposal.status === "withdrawn") return null;
  const winner = tie.at(-1)!;
  return (
    <p className="small">
      The yes votes {proposal.status === "open" ? "are" : "were"} tied between {listed(tie)}:{" "}
      {proposal.status === "open"
        ? `if it passes so, the stricter, ${winner}, applies.`
        : `it went to the stricter, ${winner}.`}
    </p>
  );
}

/** An appeal's proposal: the listed domain's own case, with its links and comments. */
function AppealCard({ proposal }: { proposal: ProposalDetail }) {
  const appeal = proposal.appeal;
  if (!appeal) return null;
  return (
    <section className="card" aria-labelledby="appeal-title">
      <h2 id="appeal-title">
        <span className="badge badge--neutral">appeal</span> The listed instance appeals
      </h2>
      <p className="muted small">
        {domainLabel(proposal.domain)} proved it controls its domain and asks the members to{" "}
        {proposal.kind === "remove" ? "remove" : "change"} its entry. It cannot vote and never sees
        who voted; it reads the outcome on the{" "}
        <Link to={`/appeals/${appeal.id}`}>appeal&apos;s public page</Link>.
      </p>
      <dl className="facts">
        <dt>Rebuttal</dt>
        <dd className="thread__body">{appeal.rebuttal}</dd>
        <dt>Links</dt>
        <dd>
          <EvidenceLinks links={appeal.links} />
        </dd>
      </dl>
      {appeal.comments.length > 0 && (
        <>
          <h3>From the appellant ({appeal.comments.length})</h3>
          <ul className="thread">
            {appeal.comments.map((comment) => (
              <li key={comment.id} className="thread__item">
                <div className="thread__head">
                  <strong>{domainLabel(proposal.domain)}</strong>
                  <RelativeTime at={comment.at} />
                </div>
                <p className="thread__body">{comment.body}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Outcome({ proposal }: { proposal: ProposalDetail }) {
  if (proposal.status === "open") return null;
  const by = proposal.decision
    ? `decided by ${proposal.decision.by}: “${proposal.decision.reason}”`
    : proposal.status === "withdrawn"
      ? "withdrawn by the proposer"
      : proposal.status === "passed"
        ? "by the members' votes"
        : "its voting window closed without enough support";
  return (
    <Banner
      kind={proposal.status === "passed" ? "success" : "info"}
      title={`This proposal ${proposal.status === "withdrawn" ? "was withdrawn" : proposal.status}`}
    >
      <p>
        {proposal.status === "passed" && proposal.appliedSeverity && (
          <>Applied as {proposal.appliedSeverity}, </>
        )}
        {by}
        {proposal.closedAt && (
          <>
            {" "}
            (<AbsoluteTime at={proposal.closedAt} />)
          </>
        )}
        .
      </p>
      {proposal.status === "passed" && <SeverityTie proposal={proposal} />}
    </Banner>
  );
}

export function ProposalPage() {
  const { id = "" } = useParams();
  const proposal = useResource<ProposalDetail>(`/api/v1/proposals/${seg(id)}`);
  const [message, setMessage] = useState<string | null>(null);
  const data = proposal.data;
  const update = (next: ProposalDetail, text: string) => {
    proposal.setData(next);
    setMessage(text);
  };

  if (!data) {
    return (
      <Page title={proposal.error ? "Proposal not found" : "Loading proposal…"}>
        <ErrorBanner error={proposal.error} title="The proposal could not be loaded" />
        {!proposal.error && <Skeleton lines={8} />}
      </Page>
    );
  }

  return (
    <Page
      title={proposalTitle(data)}
      eyebrow={
        <>
          Proposal #{data.id} on <Link to={`/l/${seg(data.list)}/proposals`}>{data.list}</Link>
        </>
      }
      actions={<Actions proposal={data} onChange={update} />}
    >
      {message && <Banner kind="success">{message}</Banner>}
      <Outcome proposal={data} />
      <div className="grid-2">
        <div className="stack-lg">
          <section className="card" aria-label="Summary">
            <p className="cluster">
              <StatusBadge status={data.status} />
              <ProposedSeverity proposal={data} />
              <span className="muted small">
                <TimeLeft proposal={data} />
              </span>
            </p>
            <dl className="facts">
              <dt>Proposed by</dt>
              <dd>
                {proposedBy(data)}, <RelativeTime at={data.openedAt} />
              </dd>
              <dt>Domain</dt>
              <dd>
                <Link className="mono" to={`/l/${seg(data.list)}/entries/${seg(data.domain)}`}>
                  {domainLabel(data.domain)}
                </Link>
              </dd>
              <dt>Argument</dt>
              <dd className="thread__body">
                {data.reason || <span className="muted">none given</span>}
              </dd>
              <dt>Rules</dt>
              <dd className="small">
                quorum {data.policy.quorum}, {Math.round(data.policy.threshold * 100)}% yes, open at
                least {data.policy.minOpenHours} h, severity by {data.policy.severityRule}
              </dd>
            </dl>
          </section>
          <section className="card" aria-labelledby="tally-title">
            <h2 id="tally-title">Tally</h2>
            <TallyBar
              tally={data.tally}
              quorum={data.policy.quorum}
              threshold={data.policy.threshold}
            />
          </section>
          <AppealCard proposal={data} />
          <ProposedChange proposal={data} />
        </div>
        <div className="stack-lg">
          {data.canVote ? (
            <VoteForm
              key={`${data.myVote?.vote ?? "none"}-${data.status}`}
              proposal={data}
              onChange={update}
            />
          ) : (
            data.status === "open" && (
              <Banner kind="info">
                Your account cannot vote on this proposal: votes are per member instance, and an
                instance cannot vote on a block of its own domain.
              </Banner>
            )
          )}
          <Votes proposal={data} />
          <History proposal={data} />
          <Discussion proposal={data} onChange={update} />
        </div>
      </div>
    </Page>
  );
}
