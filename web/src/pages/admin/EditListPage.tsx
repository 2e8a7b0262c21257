// Admin → Lists → one list: its name, description, visibility and voting rules.
import { useEffect, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { api } from "../../api/client.js";
import type { BlockList } from "../../api/types.js";
import { AdminTabs } from "../../components/AdminTabs.js";
import { Banner, ErrorBanner } from "../../components/Banner.js";
import { ConfirmDialog } from "../../components/ConfirmDialog.js";
import { AbsoluteTime } from "../../components/RelativeTime.js";
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

/** Archive (read-only, exports frozen) or unarchive the list, after a confirmation. */
function ArchiveSection({
  list,
  onSaved,
}: {
  list: BlockList;
  onSaved: (list: BlockList) => void;
}) {
  const archived = list.archivedAt !== null;
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);

  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.patch<BlockList>(`/api/v1/lists/${seg(list.slug)}`, {
        archived: !archived,
      });
      onSaved(saved);
      setMessage(
        saved.archivedAt !== null
          ? `${saved.name} is archived. Its exports keep serving revision ${saved.revision}.`
          : `${saved.name} is no longer archived: it takes proposals and imports again.`,
      );
    } catch (failure) {
      setError(failure);
      setMessage(null);
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="archive-title">
      <h2 id="archive-title">{archived ? "Archived" : "Archive"}</h2>
      {archived ? (
        <p>
          Archived since <AbsoluteTime at={list.archivedAt!} />: read-only, its exports serve
          revision {list.revision}. Unarchiving lets members propose and import again.
        </p>
      ) : (
        <p>
          An archived list is read-only: no proposals, imports or entry edits. Its exports and its
          subscribers&apos; feeds keep serving its last revision, so no subscriber loses its blocks.
          A list with open proposals cannot be archived: decide or withdraw them first.
        </p>
      )}
      <ErrorBanner
        error={error}
        title={archived ? "The list was not unarchived" : "The list was not archived"}
      />
      {message && <Banner kind="success">{message}</Banner>}
      <div className="form-actions">
        <button
          type="button"
          className={archived ? "button" : "button button--danger"}
          disabled={busy}
          onClick={() => (archived ? void apply() : setAsking(true))}
        >
          {archived ? "Unarchive list" : "Archive list"}
        </button>
      </div>
      <ConfirmDialog
        open={asking}
        title={`Archive ${list.name}?`}
        confirmLabel="Archive list"
        danger
        busy={busy}
        onConfirm={() => void apply()}
        onCancel={() => setAsking(false)}
      >
        <p>
          It takes no more proposals or imports. Its exports keep serving revision {list.revision}.
          An admin can unarchive it.
        </p>
      </ConfirmDialog>
    </section>
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
        <ArchiveSection list={data} onSaved={list.setData} />
      </div>
    </Page>
  );
}
