// A list's settings as form fields (name, description, visibility, voting rules), shared by the
// New list and Edit list pages; and the body the API's POST and PATCH take from them.
import type { ReactNode } from "react";
import type { BlockList, Policy } from "../api/types.js";
import { errorsAt, type FieldErrorMap } from "../forms.js";
import { Choice, Choices, SelectField, TextAreaField, TextField } from "./Field.js";

export interface ListSettings {
  name: string;
  description: string;
  visibility: "public" | "members";
  /** Numbers as typed, so a half-typed value is not rewritten under the cursor. */
  quorum: string;
  threshold: string;
  votingDays: string;
  minOpenHours: string;
  severityRule: Policy["severityRule"];
  publicEvidence: boolean;
  allowBroad: boolean;
}

/** A list's current settings, or the service's defaults for a new one. */
export function settingsOf(list?: BlockList): ListSettings {
  const policy = list?.policy;
  return {
    name: list?.name ?? "",
    description: list?.description ?? "",
    visibility: list?.visibility ?? "public",
    quorum: String(policy?.quorum ?? 3),
    threshold: String(policy?.threshold ?? 0.66),
    votingDays: String(policy?.votingDays ?? 14),
    minOpenHours: String(policy?.minOpenHours ?? 24),
    severityRule: policy?.severityRule ?? "majority",
    publicEvidence: policy?.publicEvidence ?? false,
    allowBroad: policy?.allowBroad ?? false,
  };
}

export const settingsBody = (settings: ListSettings) => ({
  name: settings.name.trim(),
  description: settings.description.trim(),
  visibility: settings.visibility,
  policy: {
    quorum: Number(settings.quorum),
    threshold: Number(settings.threshold),
    votingDays: Number(settings.votingDays),
    minOpenHours: Number(settings.minOpenHours),
    severityRule: settings.severityRule,
    publicEvidence: settings.publicEvidence,
    allowBroad: settings.allowBroad,
  },
});

export const checkSettings = (settings: ListSettings): FieldErrorMap =>
  settings.name.trim() ? {} : { name: ["give the list a name"] };

export function ListSettingsFields({
  value,
  onChange,
  errors,
  slugField,
}: {
  value: ListSettings;
  onChange: (value: ListSettings) => void;
  errors: FieldErrorMap;
  /** Shown before the name (the New list page's slug). */
  slugField?: ReactNode;
}) {
  const set = <K extends keyof ListSettings>(key: K, next: ListSettings[K]) =>
    onChange({ ...value, [key]: next });
  const number = (
    label: string,
    field: "quorum" | "threshold" | "votingDays" | "minOpenHours",
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
      value={value[field]}
      onChange={(next) => set(field, next)}
    />
  );
  return (
    <>
      <div className="form-row">
        {slugField}
        <TextField
          label="Name"
          errors={errorsAt(errors, "name")}
          value={value.name}
          onChange={(next) => set("name", next)}
        />
      </div>
      <TextAreaField
        label="Description"
        errors={errorsAt(errors, "description")}
        optional
        value={value.description}
        onChange={(next) => set("description", next)}
      />
      <Choices legend="Who can read it" errors={errorsAt(errors, "visibility")}>
        <Choice
          type="radio"
          name="visibility"
          value="public"
          label="Public"
          hint="Anyone can read it and download its exports."
          checked={value.visibility === "public"}
          onChange={() => set("visibility", "public")}
        />
        <Choice
          type="radio"
          name="visibility"
          value="members"
          label="Members only"
          hint="Only signed-in members and their tokens."
          checked={value.visibility === "members"}
          onChange={() => set("visibility", "members")}
        />
      </Choices>
      <fieldset className="stack">
        <legend>Voting rules</legend>
        <div className="form-row">
          {number("Quorum", "quorum", "Minimum yes + no votes.")}
          {number("Threshold", "threshold", "Share of yes among yes + no, e.g. 0.66.", "0.01")}
          {number("Voting days", "votingDays", "Then it is rejected.")}
          {number("Minimum hours open", "minOpenHours", "So every time zone can speak.")}
        </div>
        <div className="form-row">
          <SelectField
            label="Severity applied"
            errors={errorsAt(errors, "policy.severityRule")}
            value={value.severityRule}
            onChange={(next) => set("severityRule", next as Policy["severityRule"])}
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
            checked={value.publicEvidence}
            onChange={(next) => set("publicEvidence", next)}
          />
          <Choice
            type="checkbox"
            name="allowBroad"
            value="true"
            label="Allow broad entries"
            hint="Allow a bare TLD or public suffix (such as cf or co.uk); it passes only by vote."
            checked={value.allowBroad}
            onChange={(next) => set("allowBroad", next)}
          />
        </div>
      </fieldset>
    </>
  );
}
