import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { api } from "../../api/client.js";
import type { BlockList } from "../../api/types.js";
import { ErrorBanner } from "../../components/Banner.js";
import { Choice, Choices, SelectField, TextAreaField, TextField } from "../../components/Field.js";
import { AdminTabs } from "../../components/AdminTabs.js";
import { Page } from "../../components/Page.js";
import { errorsAt, placedUnder, seg, type FieldErrorMap } from "../../forms.js";
import { useFormSubmit } from "../../useFormSubmit.js";

export function NewListPage() {
  const navigate = useNavigate();
  const [slug, setSlug] = useState("");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [visibility, setVisibility] = useState<"public" | "members">("public");
  const [quorum, setQuorum] = useState("3");
  const [threshold, setThreshold] = useState("0.66");
  const [votingDays, setVotingDays] = useState("14");
  const [minOpenHours, setMinOpenHours] = useState("24");
  const [severityRule, setSeverityRule] = useState<"majority" | "strictest">("majority");
  const [publicEvidence, setPublicEvidence] = useState(false);
  const [allowBroad, setAllowBroad] = useState(false);
  const { form, busy, error, errors, run } = useFormSubmit();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run({
      check: () => {
        const found: FieldErrorMap = {};
        if (!slug.trim()) found.slug = ["choose a short name for URLs, e.g. fedipact"];
        if (!name.trim()) found.name = ["give the list a name"];
        return found;
      },
      send: async () => {
        const created = await api.post<BlockList>("/api/v1/lists", {
          slug: slug.trim(),
          name: name.trim(),
          description: description.trim(),
          visibility,
          policy: {
            quorum: Number(quorum),
            threshold: Number(threshold),
            votingDays: Number(votingDays),
            minOpenHours: Number(minOpenHours),
            severityRule,
            publicEvidence,
            allowBroad,
          },
        });
        navigate(`/l/${seg(created.slug)}`, {
          state: { flash: `The list ${created.name} is created. Members can propose entries now.` },
        });
      },
      leavesPage: true,
    });
  };

  const number = (
    label: string,
    field: string,
    value: string,
    set: (value: string) => void,
    hint: string,
    step = "1",
  ) => (
    <TextField
      label={label}
      hint={hint}
      errors={errorsAt(errors, `policy.${field}`)}
      type="number"
      inputMode="decimal"
      step={step}
      min="0"
      value={value}
      onChange={set}
    />
  );

  return (
    <Page
      title="New list"
      lead="A list is a blocklist with its own voting rules. Open proposals keep the rules they were opened under."
    >
      <AdminTabs />
      <ErrorBanner
        error={error}
        title="The list was not created"
        placed={placedUnder("slug", "name", "description", "visibility", "policy")}
      />
      <form ref={form} className="form card" noValidate onSubmit={submit}>
        <div className="form-row">
          <TextField
            label="Slug"
            hint="In URLs and exports: lowercase letters, digits and '-'. Cannot change later."
            errors={errorsAt(errors, "slug")}
            autoCapitalize="none"
            spellCheck={false}
            value={slug}
            onChange={setSlug}
          />
          <TextField
            label="Name"
            errors={errorsAt(errors, "name")}
            value={name}
            onChange={setName}
          />
        </div>
        <TextAreaField
          label="Description"
          errors={errorsAt(errors, "description")}
          optional
          value={description}
          onChange={setDescription}
        />
        <Choices legend="Who can read it" errors={errorsAt(errors, "visibility")}>
          <Choice
            type="radio"
            name="visibility"
            value="public"
            label="Public"
            hint="Anyone can read it and download its exports."
            checked={visibility === "public"}
            onChange={() => setVisibility("public")}
          />
          <Choice
            type="radio"
            name="visibility"
            value="members"
            label="Members only"
            hint="Only signed-in members and their tokens."
            checked={visibility === "members"}
            onChange={() => setVisibility("members")}
          />
        </Choices>
        <fieldset className="stack">
          <legend>Voting rules</legend>
          <div className="form-row">
            {number("Quorum", "quorum", quorum, setQuorum, "Minimum yes + no votes.")}
            {number(
              "Threshold",
              "threshold",
              threshold,
              setThreshold,
              "Share of yes among yes + no, e.g. 0.66.",
              "0.01",
            )}
            {number("Voting days", "votingDays", votingDays, setVotingDays, "Then it is rejected.")}
            {number(
              "Minimum hours open",
              "minOpenHours",
              minOpenHours,
              setMinOpenHours,
              "So every time zone can speak.",
            )}
          </div>
          <div className="form-row">
            <SelectField
              label="Severity applied"
              errors={errorsAt(errors, "policy.severityRule")}
              value={severityRule}
              onChange={(value) => setSeverityRule(value as "majority" | "strictest")}
            >
              <option value="majority">Most common among yes votes</option>
              <option value="strictest">Strictest among yes votes</option>
            </SelectField>
            <Choice
              type="checkbox"
              name="publicEvidence"
              value="true"
              label="Public evidence"
              hint="Show evidence links to the public too."
              checked={publicEvidence}
              onChange={setPublicEvidence}
            />
            <Choice
              type="checkbox"
              name="allowBroad"
              value="true"
              label="Allow broad entries"
              hint="Allow a bare TLD or public suffix (such as cf or co.uk); it passes only by vote."
              checked={allowBroad}
              onChange={setAllowBroad}
            />
          </div>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            Create list
          </button>
          <Link to="/">Cancel</Link>
        </div>
      </form>
    </Page>
  );
}
