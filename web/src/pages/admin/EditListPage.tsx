// Admin → Lists → one list: its name, description, visibility and voting rules.
import { useEffect, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { api } from "../../api/client.js";
import type { BlockList } from "../../api/types.js";
import { AdminTabs } from "../../components/AdminTabs.js";
import { Banner, ErrorBanner } from "../../components/Banner.js";
import { useList } from "../../components/ListParts.js";
import {
  ListSettingsFields,
  checkSettings,
  settingsBody,
  settingsOf,
  type ListSettings,
} from "../../components/ListSettingsFields.js";
import { Page } from "../../components/Page.js";
import { Skeleton } from "../../components/States.js";
import { placedUnder, seg } from "../../forms.js";
import { useFormSubmit } from "../../useFormSubmit.js";
import { ListNotFound } from "../ListEntriesPage.js";

function EditForm({ list, onSaved }: { list: BlockList; onSaved: (list: BlockList) => void }) {
  const [settings, setSettings] = useState<ListSettings>(() => settingsOf(list));
  const [message, setMessage] = useState<string | null>(null);
  const { form, busy, error, errors, run } = useFormSubmit();
  useEffect(() => setSettings(settingsOf(list)), [list]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    void run({
      check: () => checkSettings(settings),
      send: async () => {
        const saved = await api.patch<BlockList>(
          `/api/v1/lists/${seg(list.slug)}`,
          settingsBody(settings),
        );
        onSaved(saved);
        setMessage(
          `The settings of ${saved.name} are saved. Open proposals keep the rules they were opened under.`,
        );
      },
    });
  };

  return (
    <form
      ref={form}
      className="form card"
      noValidate
      onSubmit={submit}
      aria-labelledby="settings-title"
    >
      <h2 id="settings-title">Settings</h2>
      <ListSettingsFields value={settings} onChange={setSettings} errors={errors} />
      {/* Next to the button: the error no field shows is where the eye is. */}
      <ErrorBanner
        error={error}
        title="The settings were not saved"
        placed={placedUnder("name", "description", "visibility", "policy")}
      />
      {message && <Banner kind="success">{message}</Banner>}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Save changes
        </button>
        <Link to={`/l/${seg(list.slug)}`}>Back to the list</Link>
      </div>
    </form>
  );
}

export function EditListPage() {
  const { slug = "" } = useParams();
  const list = useList(slug);
  if (list.error) return <ListNotFound error={list.error} />;
  if (!list.data) {
    return (
      <Page title="Loading list…">
        <Skeleton lines={8} />
      </Page>
    );
  }
  const data = list.data;
  return (
    <Page
      title={`Edit ${data.name}`}
      eyebrow={
        <>
          Blocklist <span className="mono">{data.slug}</span> · revision {data.revision}
        </>
      }
      lead="The slug stays: it is in every export URL subscribers use."
    >
      <AdminTabs />
      <div className="stack-lg">
        <EditForm list={data} onSaved={list.setData} />
      </div>
    </Page>
  );
}
