import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError, api } from "../api/client.js";
import {
  SEVERITIES,
  type Entry,
  type EntryHistory,
  type ProposalDetail,
  type ProposalKind,
  type Severity,
  type Tag,
} from "../api/types.js";
import { SEVERITY_HELP, SeverityBadge, Tags, flagsText } from "../components/Badges.js";
import { ErrorBanner } from "../components/Banner.js";
import {
  Choice,
  Choices,
  Field,
  FieldErrors,
  TextAreaField,
  TextField,
} from "../components/Field.js";
import { ListTabs, useList } from "../components/ListParts.js";
import { Page } from "../components/Page.js";
import { Skeleton } from "../components/States.js";
import { TagChoices } from "../components/TagChoices.js";
import { errorsAt, isHttpUrl, placedUnder, seg, type FieldErrorMap } from "../forms.js";
import { useFormSubmit } from "../useFormSubmit.js";
import { ListNotFound } from "./ListEntriesPage.js";

const KINDS: { value: ProposalKind; label: string; hint: string }[] = [
  { value: "add", label: "Add a domain", hint: "Block a domain that is not on the list yet." },
  {
    value: "change",
    label: "Change an entry",
    hint: "Change the severity, flags, reasons, tags or evidence of a listed domain.",
  },
  {
    value: "remove",
    label: "Remove an entry",
    hint: "Retract a block; subscribers lift it on their next sync.",
  },
];

const LIMITS = { publicComment: 2000, privateComment: 5000, reason: 5000 } as const;

interface FormState {
  severity: Severity | "";
  rejectMedia: boolean;
  rejectReports: boolean;
  obfuscate: boolean;
  publicComment: string;
  privateComment: string;
  tags: Tag[];
  evidence: string[];
}

const EMPTY: FormState = {
  severity: "",
  rejectMedia: false,
  rejectReports: false,
  obfuscate: false,
  publicComment: "",
  privateComment: "",
  tags: [],
  evidence: [""],
};

const fromEntry = (entry: Entry): FormState => ({
  severity: entry.severity,
  rejectMedia: entry.rejectMedia,
  rejectReports: entry.rejectReports,
  obfuscate: entry.obfuscate,
  publicComment: entry.publicComment,
  privateComment: entry.privateComment ?? "",
  tags: [...entry.tags],
  evidence: entry.evidence && entry.evidence.length > 0 ? [...entry.evidence] : [""],
});

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

/** The request body: every field for `add`, only the changed ones for `change`. */
function bodyFor(
  kind: ProposalKind,
  domain: string,
  reason: string,
  state: FormState,
  current: Entry | null,
): Record<string, unknown> {
  const body: Record<string, unknown> = { kind, domain: domain.trim() };
  if (reason.trim()) body.reason = reason.trim();
  if (kind === "remove") return body;
  const evidence = state.evidence.map((link) => link.trim()).filter(Boolean);
  const fields: Record<string, unknown> = {
    ...(state.severity ? { severity: state.severity } : {}),
    rejectMedia: state.rejectMedia,
    rejectReports: state.rejectReports,
    obfuscate: state.obfuscate,
    publicComment: state.publicComment.trim(),
    privateComment: state.privateComment.trim(),
    tags: state.tags,
    evidence,
  };
  if (kind === "add" || !current) {
    // A new entry: leave out what is empty rather than proposing empty values.
    const given = Object.entries(fields).filter(
      ([, value]) => value !== "" && !(Array.isArray(value) && value.length === 0),
    );
    return { ...body, ...Object.fromEntries(given) };
  }
  const base = fromEntry(current);
  const changed: Record<string, unknown> = {};
  if (state.severity && state.severity !== current.severity) changed.severity = state.severity;
  for (const flag of ["rejectMedia", "rejectReports", "obfuscate"] as const) {
    if (state[flag] !== current[flag]) changed[flag] = state[flag];
  }
  if (state.publicComment.trim() !== current.publicComment) {
    changed.publicComment = fields.publicComment;
  }
  if (
    current.privateComment !== undefined &&
    state.privateComment.trim() !== current.privateComment
  ) {
    changed.privateComment = fields.privateComment;
  }
  if (!sameSet(state.tags, base.tags)) changed.tags = state.tags;
  if (!sameSet(evidence, current.evidence ?? [])) changed.evidence = evidence;
  return { ...body, ...changed };
}

/** Where the API's `evidence.N` points among the rows, once blank rows are left out. */
function evidenceRowErrors(errors: FieldErrorMap, rows: string[]): FieldErrorMap {
  const filled = rows.flatMap((link, index) => (link.trim() ? [index] : []));
  const mapped: FieldErrorMap = {};
  for (const [path, messages] of Object.entries(errors)) {
    const match = /^evidence\.(\d+)$/.exec(path);
    const row = match ? filled[Number(match[1])] : undefined;
    mapped[row !== undefined ? `evidence.${row}` : path] = messages;
  }
  return mapped;
}

function checkForm(
  kind: ProposalKind,
  domain: string,
  reason: string,
  state: FormState,
  current: Entry | null,
  lookup: "idle" | "loading" | "listed" | "unlisted",
): FieldErrorMap {
  const found: FieldErrorMap = {};
  if (!domain.trim()) found.domain = ["enter the domain, e.g. example.social"];
  else if (kind !== "add" && lookup === "unlisted") {
    found.domain = ["this domain is not on the list: propose to add it instead"];
  } else if (kind === "add" && lookup === "listed") {
    found.domain = ["this domain is already on the list: propose a change instead"];
  }
  if (kind === "add" && !state.severity) found.severity = ["choose suspend, silence or noop"];
  if (reason.length > LIMITS.reason) found.reason = [`at most ${LIMITS.reason} characters`];
  if (kind !== "remove") {
    for (const field of ["publicComment", "privateComment"] as const) {
      if (state[field].length > LIMITS[field])
        found[field] = [`at most ${LIMITS[field]} characters`];
    }
    state.evidence.forEach((link, index) => {
      if (link.trim() && !isHttpUrl(link.trim())) {
        found[`evidence.${index}`] = [
          "expected an http(s) link such as https://example.org/post/1",
        ];
      }
    });
    if (kind === "change" && current) {
      const body = bodyFor(kind, domain, reason, state, current);
      const changes = Object.keys(body).filter(
        (key) => !["kind", "domain", "reason"].includes(key),
      );
      if (changes.length === 0) found["(body)"] = ["change at least one field of the entry"];
    }
  }
  return found;
}

function CurrentEntry({ entry }: { entry: Entry }) {
  return (
    <div className="card">
      <h2 className="card__title">The entry now</h2>
      <p className="cluster">
        <SeverityBadge severity={entry.severity} />
        {flagsText(entry) && <span className="muted small">{flagsText(entry)}</span>}
      </p>
      <p>{entry.publicComment || <span className="muted">No public reason.</span>}</p>
      <Tags tags={entry.tags} />
    </div>
  );
}

export function ProposePage() {
  const { slug = "" } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const list = useList(slug);
  const initialKind = (["add", "change", "remove"] as const).find((k) => k === params.get("kind"));
  const [kind, setKind] = useState<ProposalKind>(initialKind ?? "add");
  const [domain, setDomain] = useState(params.get("domain") ?? "");
  const [reason, setReason] = useState("");
  const [state, setState] = useState<FormState>(EMPTY);
  const [current, setCurrent] = useState<Entry | null>(null);
  const [lookup, setLookup] = useState<"idle" | "loading" | "listed" | "unlisted">("idle");
  const [checkedDomain, setCheckedDomain] = useState("");
  const { form, busy, error, errors, setErrors, run } = useFormSubmit();

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setState((old) => ({ ...old, [key]: value }));

  /** Reads the entry of a domain for change and remove (and to warn before a duplicate add). */
  const lookUp = async (text: string, forKind: ProposalKind) => {
    const wanted = text.trim().toLowerCase();
    if (!wanted || wanted === checkedDomain) return;
    setCheckedDomain(wanted);
    setLookup("loading");
    try {
      const answer = await api.get<EntryHistory>(
        `/api/v1/lists/${seg(slug)}/entries/${seg(wanted)}`,
      );
      if (answer.entry) {
        setCurrent(answer.entry);
        setLookup("listed");
        if (forKind === "change") setState(fromEntry(answer.entry));
      } else {
        setCurrent(null);
        setLookup("unlisted");
      }
    } catch (failure) {
      setCurrent(null);
      setLookup(failure instanceof ApiError && failure.status === 404 ? "unlisted" : "idle");
    }
  };

  useEffect(() => {
    if (domain && initialKind && initialKind !== "add") void lookUp(domain, initialKind);
    // Only once, for the domain given in the address.
  }, []);

  const chooseKind = (next: ProposalKind) => {
    setKind(next);
    setErrors({});
    if (next === "change" && current) setState(fromEntry(current));
    if (next === "add") setState(EMPTY);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run({
      check: () => checkForm(kind, domain, reason, state, current, lookup),
      send: async () => {
        const proposal = await api.post<ProposalDetail>(
          `/api/v1/lists/${seg(slug)}/proposals`,
          bodyFor(kind, domain, reason, state, current),
        );
        navigate(`/proposals/${proposal.id}`, {
          state: {
            flash:
              proposal.status === "passed"
                ? `Proposal #${proposal.id} passed at once and is applied.`
                : `Proposal #${proposal.id} is open. Your instance voted yes.`,
          },
        });
      },
      placeErrors: (apiErrors) => evidenceRowErrors(apiErrors, state.evidence),
      leavesPage: true,
    });
  };

  if (list.error) return <ListNotFound error={list.error} />;
  const fieldsShown = kind !== "remove";
  const placed = placedUnder(
    "domain",
    "kind",
    "reason",
    ...(fieldsShown
      ? [
          "severity",
          "rejectMedia",
          "rejectReports",
          "obfuscate",
          "publicComment",
          "privateComment",
          "tags",
          "evidence",
        ]
      : []),
  );

  return (
    <Page
      title="Propose"
      eyebrow={list.data ? <Link to={`/l/${seg(slug)}`}>{list.data.name}</Link> : slug}
      lead={
        list.data &&
        `Members vote on every proposal; your instance votes yes at once. It passes with ${list.data.policy.quorum} or more yes/no votes and ${Math.round(list.data.policy.threshold * 100)}% yes, after at least ${list.data.policy.minOpenHours} hours open.`
      }
    >
      {list.data ? <ListTabs list={list.data} /> : <Skeleton lines={2} />}
      <form ref={form} className="form form--wide" noValidate onSubmit={submit}>
        <div className="grid-2">
          <div className="form">
            <Choices legend="What do you propose?" errors={errorsAt(errors, "kind")}>
              {KINDS.map((option) => (
                <Choice
                  key={option.value}
                  type="radio"
                  name="kind"
                  value={option.value}
                  label={option.label}
                  hint={option.hint}
                  checked={kind === option.value}
                  onChange={() => chooseKind(option.value)}
                />
              ))}
            </Choices>
            <TextField
              label="Domain"
              hint="The instance's domain, such as example.social. Blocking a domain blocks its subdomains too."
              errors={errorsAt(errors, "domain")}
              name="domain"
              autoCapitalize="none"
              autoComplete="off"
              spellCheck={false}
              value={domain}
              onChange={(text) => {
                setDomain(text);
                if (lookup !== "idle") setLookup("idle");
                setCheckedDomain("");
              }}
              onBlur={() => void lookUp(domain, kind)}
            />
            {kind !== "add" && lookup === "loading" && (
              <p className="muted small" role="status">
                Looking up the entry…
              </p>
            )}
            {kind !== "add" && current && lookup === "listed" && <CurrentEntry entry={current} />}
            <TextAreaField
              label={kind === "remove" ? "Reason for the removal" : "Your argument for voters"}
              hint={
                kind === "remove"
                  ? "Public: it becomes the retraction's comment."
                  : "Why the list should do this. Members read it before they vote."
              }
              errors={errorsAt(errors, "reason")}
              optional
              name="reason"
              rows={4}
              value={reason}
              onChange={setReason}
            />
          </div>
          {fieldsShown && (
            <div className="form">
              <Choices
                legend="Severity"
                hint={
                  kind === "change" ? "Leave as it is to keep the current severity." : undefined
                }
                errors={errorsAt(errors, "severity")}
              >
                {SEVERITIES.map((severity) => (
                  <Choice
                    key={severity}
                    type="radio"
                    name="severity"
                    value={severity}
                    label={<strong>{SEVERITY_HELP[severity].label}</strong>}
                    hint={SEVERITY_HELP[severity].effect}
                    checked={state.severity === severity}
                    onChange={() => set("severity", severity)}
                  />
                ))}
              </Choices>
              <Choices
                legend="Also"
                errors={
                  errorsAt(errors, "rejectMedia") ??
                  errorsAt(errors, "rejectReports") ??
                  errorsAt(errors, "obfuscate")
                }
              >
                <Choice
                  type="checkbox"
                  name="rejectMedia"
                  value="true"
                  label="Reject media"
                  hint="Do not download its images and videos."
                  checked={state.rejectMedia}
                  onChange={(checked) => set("rejectMedia", checked)}
                />
                <Choice
                  type="checkbox"
                  name="rejectReports"
                  value="true"
                  label="Reject reports"
                  hint="Ignore moderation reports from it."
                  checked={state.rejectReports}
                  onChange={(checked) => set("rejectReports", checked)}
                />
                <Choice
                  type="checkbox"
                  name="obfuscate"
                  value="true"
                  label="Obfuscate the domain"
                  hint="Mastodon shows it partly hidden on its public list of limited servers."
                  checked={state.obfuscate}
                  onChange={(checked) => set("obfuscate", checked)}
                />
              </Choices>
            </div>
          )}
        </div>
        {fieldsShown && (
          <>
            <div className="grid-2">
              <TextAreaField
                label="Public reason"
                hint="Shown on the list and in every export (Mastodon's public comment)."
                errors={errorsAt(errors, "publicComment")}
                optional
                name="publicComment"
                rows={3}
                value={state.publicComment}
                onChange={(text) => set("publicComment", text)}
              />
              <TextAreaField
                label="Private comment"
                hint="Members only; never in a public export."
                errors={errorsAt(errors, "privateComment")}
                optional
                name="privateComment"
                rows={3}
                value={state.privateComment}
                onChange={(text) => set("privateComment", text)}
              />
            </div>
            <TagChoices
              legend="Tags"
              hint="What the domain is blocked for."
              name="tags"
              errors={errorsAt(errors, "tags")}
              value={state.tags}
              onChange={(tags) => set("tags", tags)}
            />
            <fieldset aria-invalid={errorsAt(errors, "evidence") ? true : undefined}>
              <legend>Evidence links (optional)</legend>
              <p className="field__hint">
                Links to posts or reports that show the problem (http or https). Members see them;
                the public only if the list makes evidence public. The server never fetches them.
              </p>
              <div className="stack">
                {state.evidence.map((link, index) => (
                  <Field
                    key={index}
                    label={`Evidence link ${index + 1}`}
                    errors={errors[`evidence.${index}`]}
                  >
                    {(control) => (
                      <div className="input-with-button">
                        <input
                          {...control}
                          type="url"
                          inputMode="url"
                          placeholder="https://"
                          value={link}
                          onChange={(event) =>
                            set(
                              "evidence",
                              state.evidence.map((old, i) =>
                                i === index ? event.target.value : old,
                              ),
                            )
                          }
                        />
                        {state.evidence.length > 1 && (
                          <button
                            type="button"
                            className="button"
                            aria-label={`Remove evidence link ${index + 1}`}
                            onClick={() =>
                              set(
                                "evidence",
                                state.evidence.filter((_, i) => i !== index),
                              )
                            }
                          >
                            Remove
                          </button>
                        )}
                      </div>
                    )}
                  </Field>
                ))}
                <FieldErrors errors={errors.evidence} />
                <div>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => set("evidence", [...state.evidence, ""])}
                    disabled={state.evidence.length >= 20}
                  >
                    Add another link
                  </button>
                </div>
              </div>
            </fieldset>
          </>
        )}
        {/* Next to the button: the error no field shows is where the eye is. */}
        <ErrorBanner error={error} title="The proposal was not opened" placed={placed} />
        {errors["(body)"] && !error && (
          <div className="banner banner--error" role="alert" tabIndex={-1}>
            <p>{errors["(body)"].join("; ")}</p>
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? "Opening…" : "Open proposal"}
          </button>
          <Link to={`/l/${seg(slug)}/proposals`}>Cancel</Link>
        </div>
      </form>
    </Page>
  );
}
