import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { api } from "../../api/client.js";
import type { BlockList } from "../../api/types.js";
import { ErrorBanner } from "../../components/Banner.js";
import { TextField } from "../../components/Field.js";
import { AdminTabs } from "../../components/AdminTabs.js";
import {
  ListSettingsFields,
  checkSettings,
  settingsBody,
  settingsOf,
} from "../../components/ListSettingsFields.js";
import { Page } from "../../components/Page.js";
import { errorsAt, placedUnder, seg, type FieldErrorMap } from "../../forms.js";
import { useFormSubmit } from "../../useFormSubmit.js";

export function NewListPage() {
  const navigate = useNavigate();
  const [slug, setSlug] = useState("");
  const [settings, setSettings] = useState(settingsOf);
  const { form, busy, error, errors, run } = useFormSubmit();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run({
      check: () => {
        const found: FieldErrorMap = {};
        if (!slug.trim()) found.slug = ["choose a short name for URLs, e.g. fedipact"];
        return { ...found, ...checkSettings(settings) };
      },
      send: async () => {
        const created = await api.post<BlockList>("/api/v1/lists", {
          slug: slug.trim(),
          ...settingsBody(settings),
        });
        navigate(`/l/${seg(created.slug)}`, {
          state: { flash: `The list ${created.name} is created. Members can propose entries now.` },
        });
      },
      leavesPage: true,
    });
  };

  return (
    <Page
      title="New list"
      lead="A list is a blocklist with its own voting rules. Open proposals keep the rules they were opened under."
    >
      <AdminTabs />
      <form ref={form} className="form card" noValidate onSubmit={submit}>
        <ListSettingsFields
          value={settings}
          onChange={setSettings}
          errors={errors}
          slugField={
            <TextField
              label="Slug"
              hint="In URLs and exports: lowercase letters, digits and '-'. Cannot change later."
              errors={errorsAt(errors, "slug")}
              autoCapitalize="none"
              spellCheck={false}
              value={slug}
              onChange={setSlug}
            />
          }
        />
        {/* Next to the button: the error no field shows is where the eye is. */}
        <ErrorBanner
          error={error}
          title="The list was not created"
          placed={placedUnder("slug", "name", "description", "visibility", "policy")}
        />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            Create list
          </button>
          <Link to="/admin/lists">Cancel</Link>
        </div>
      </form>
    </Page>
  );
}
