// A listed instance appeals its entry (no account; docs/appeals.md): the rebuttal and links,
// then the token to serve on the domain and the appeal token, shown once.
import { useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../api/client.js";
import { SEVERITIES, type CreatedAppeal, type Severity } from "../api/types.js";
import { ErrorBanner } from "../components/Banner.js";
import { SelectField, TextAreaField } from "../components/Field.js";
import { Page } from "../components/Page.js";
import { SecretPanel } from "../components/SecretPanel.js";
import {
  apiFieldErrors,
  errorsAt,
  focusFirstInvalid,
  isHttpUrl,
  placedUnder,
  seg,
  type FieldErrorMap,
} from "../forms.js";
import { domainLabel } from "../idn.js";

export function AppealFormPage() {
  const { slug = "", domain = "" } = useParams();
  const navigate = useNavigate();
  const [kind, setKind] = useState<"remove" | "change">("remove");
  const [severity, setSeverity] = useState<Severity>("silence");
  const [rebuttal, setRebuttal] = useState("");
  const [links, setLinks] = useState("");
  const [errors, setErrors] = useState<FieldErrorMap>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedAppeal | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const urls = links
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    const problems: FieldErrorMap = {};
    if (!rebuttal.trim()) problems.rebuttal = ["say why the entry is wrong"];
    const bad = urls.filter((url) => !isHttpUrl(url));
    if (bad.length > 0) problems.links = [`not an http(s) link: ${bad.join(", ")}`];
    if (Object.keys(problems).length > 0) {
      setErrors(problems);
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      setCreated(
        await api.post<CreatedAppeal>(`/api/v1/lists/${seg(slug)}/entries/${seg(domain)}/appeals`, {
          kind,
          rebuttal: rebuttal.trim(),
          links: urls,
          ...(kind === "change" ? { fields: { severity } } : {}),
        }),
      );
    } catch (failure) {
      setError(failure);
      setErrors(apiFieldErrors(failure));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title={`Appeal the entry for ${domainLabel(domain)}`}
      eyebrow={
        <>
          Entry on <Link to={`/l/${seg(slug)}/entries/${seg(domain)}`}>{slug}</Link>
        </>
      }
      lead="For the people who run the listed instance: no account needed. You prove you speak for the domain by serving a token on it; then the list's members vote on your appeal."
    >
      {created ? (
        <SecretPanel
          id="appeal-token"
          title="Your appeal is made: keep its token"
          label="Appeal token"
          value={created.appealToken}
          doneLabel="Go to the appeal"
          onDone={() => void navigate(`/appeals/${created.id}`)}
        >
          <p>
            This token lets you comment on the appeal. It is shown only now: the service keeps no
            copy. Next, serve the verification token on your domain; the appeal&apos;s page says
            how.
          </p>
        </SecretPanel>
      ) : (
        <form ref={form} className="form card" onSubmit={(event) => void submit(event)}>
          <ErrorBanner
            error={error}
            title="The appeal was not made"
            placed={placedUnder("rebuttal", "links")}
          />
          <SelectField
            label="What you ask for"
            value={kind}
            onChange={(value) => setKind(value === "change" ? "change" : "remove")}
          >
            <option value="remove">Remove the entry</option>
            <option value="change">Change its severity</option>
          </SelectField>
          {kind === "change" && (
            <SelectField
              label="Severity you ask for"
              value={severity}
              onChange={(value) => setSeverity(value as Severity)}
            >
              {SEVERITIES.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </SelectField>
          )}
          <TextAreaField
            label="Rebuttal"
            hint="Why the entry is wrong or out of date. Public on the appeal's page."
            errors={errorsAt(errors, "rebuttal")}
            rows={6}
            value={rebuttal}
            onChange={setRebuttal}
          />
          <TextAreaField
            label="Links"
            optional
            hint="One http(s) link per line: your rules, moderation log, announcements."
            errors={errorsAt(errors, "links")}
            rows={3}
            value={links}
            onChange={setLinks}
          />
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={busy}>
              Make the appeal
            </button>
          </div>
        </form>
      )}
    </Page>
  );
}
