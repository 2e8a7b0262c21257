import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api } from "../api/client.js";
import { useResource } from "../api/hooks.js";
import {
  SEVERITIES,
  type BlockList,
  type Severity,
  type Subscription,
  type Tag,
} from "../api/types.js";
import { SeverityBadge, Tags } from "../components/Badges.js";
import { Banner, ErrorBanner } from "../components/Banner.js";
import { ConfirmDialog } from "../components/ConfirmDialog.js";
import { CopyField } from "../components/CopyField.js";
import { SelectField, TextAreaField } from "../components/Field.js";
import { exportPath } from "../components/ListParts.js";
import { Page } from "../components/Page.js";
import { RelativeTime } from "../components/RelativeTime.js";
import { EmptyState, Skeleton } from "../components/States.js";
import { TagChoices } from "../components/TagChoices.js";
import { errorsAt, placedUnder, seg } from "../forms.js";
import { useSession } from "../session.js";
import { useFormSubmit } from "../useFormSubmit.js";
import { domainLabel } from "../idn.js";

const origin = () => window.location.origin;

/** The excluded domains as typed: one a line (commas and spaces separate too). */
const domainsOf = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((domain) => domain.trim())
    .filter(Boolean);

/** Changes a subscription's minimum severity, tags and excluded domains (PATCH). */
function EditSubscriptionForm({
  subscription,
  onSaved,
  onCancel,
}: {
  subscription: Subscription;
  onSaved: (saved: Subscription) => void;
  onCancel: () => void;
}) {
  const [minSeverity, setMinSeverity] = useState<Severity | "">(subscription.minSeverity ?? "");
  const [tags, setTags] = useState<Tag[]>(subscription.tags);
  const [exclude, setExclude] = useState(subscription.exclude.join("\n"));
  const { form, busy, error, errors, run } = useFormSubmit();
  // Opened from the table's Change button: the keyboard goes on to the form's first control.
  useEffect(() => form.current?.querySelector("select")?.focus(), [form]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run({
      send: async () => {
        const saved = await api.patch<Subscription>(
          `/api/v1/subscriptions/${seg(subscription.id)}`,
          { minSeverity: minSeverity || null, tags, exclude: domainsOf(exclude) },
        );
        onSaved(saved);
      },
    });
  };

  return (
    <form ref={form} className="form" onSubmit={submit} aria-labelledby="edit-subscription-title">
      <h3 id="edit-subscription-title">Change the subscription to {subscription.listName}</h3>
      <SelectField
        label="Minimum severity"
        hint="Leave out milder entries."
        errors={errorsAt(errors, "minSeverity")}
        value={minSeverity}
        onChange={(value) => setMinSeverity(value as Severity | "")}
      >
        <option value="">Every entry</option>
        {SEVERITIES.map((severity) => (
          <option key={severity} value={severity}>
            {severity} or stricter
          </option>
        ))}
      </SelectField>
      <TagChoices
        legend="Only these tags (optional)"
        hint="None ticked: every entry, whatever its tags."
        name="edit-subscription-tags"
        errors={errorsAt(errors, "tags")}
        value={tags}
        onChange={setTags}
      />
      <TextAreaField
        label="Never block these domains"
        hint="One domain per line. On its next run the sync lifts a block it made for one of them."
        errors={errorsAt(errors, "exclude")}
        optional
        rows={3}
        value={exclude}
        spellCheck={false}
        onChange={setExclude}
      />
      {/* Next to the button: the error no field shows is where the eye is. */}
      <ErrorBanner
        error={error}
        title="The subscription was not changed"
        placed={placedUnder("minSeverity", "tags", "exclude")}
      />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Save changes
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The form is there at once; its list choices fill in when they arrive (`undefined` until). */
function SubscribeForm({
  lists,
  onCreated,
}: {
  lists: BlockList[] | undefined;
  onCreated: (message: string) => void;
}) {
  const [chosen, setList] = useState<string | null>(null);
  // The first list the instance does not follow yet, unless another is chosen (and still free).
  const list =
    (chosen !== null && lists?.some((item) => item.slug === chosen) ? chosen : null) ??
    lists?.[0]?.slug ??
    "";
  const [minSeverity, setMinSeverity] = useState<Severity | "">("");
  const [tags, setTags] = useState<Tag[]>([]);
  const [exclude, setExclude] = useState("");
  const { form, busy, error, errors, run } = useFormSubmit();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run({
      send: async () => {
        const domains = domainsOf(exclude);
        await api.post("/api/v1/subscriptions", {
          list,
          ...(minSeverity ? { minSeverity } : {}),
          ...(tags.length > 0 ? { tags } : {}),
          ...(domains.length > 0 ? { exclude: domains } : {}),
        });
        setMinSeverity("");
        setTags([]);
        setExclude("");
        const name = lists?.find((item) => item.slug === list)?.name ?? list;
        onCreated(`Your instance now subscribes to ${name}.`);
      },
    });
  };

  if (lists?.length === 0) {
    return <p className="muted">Your instance subscribes to every list already.</p>;
  }
  return (
    <form ref={form} className="form" onSubmit={submit}>
      <ErrorBanner
        error={error}
        title="The subscription was not added"
        placed={placedUnder("list", "minSeverity", "tags", "exclude")}
      />
      <div className="form-row">
        <SelectField
          label="List"
          errors={errorsAt(errors, "list")}
          value={list}
          disabled={!lists}
          onChange={setList}
        >
          {lists ? (
            lists.map((item) => (
              <option key={item.slug} value={item.slug}>
                {item.name} ({item.slug})
              </option>
            ))
          ) : (
            <option value="">Loading…</option>
          )}
        </SelectField>
        <SelectField
          label="Minimum severity"
          hint="Leave out milder entries."
          errors={errorsAt(errors, "minSeverity")}
          value={minSeverity}
          onChange={(value) => setMinSeverity(value as Severity | "")}
        >
          <option value="">Every entry</option>
          {SEVERITIES.map((severity) => (
            <option key={severity} value={severity}>
              {severity} or stricter
            </option>
          ))}
        </SelectField>
      </div>
      <TagChoices
        legend="Only these tags (optional)"
        hint="None ticked: every entry, whatever its tags."
        name="subscription-tags"
        errors={errorsAt(errors, "tags")}
        value={tags}
        onChange={setTags}
      />
      <TextAreaField
        label="Never block these domains"
        hint="One domain per line. Your instance keeps federating with them even if the list blocks them; a block the sync made for one is lifted."
        errors={errorsAt(errors, "exclude")}
        optional
        rows={3}
        value={exclude}
        spellCheck={false}
        onChange={setExclude}
      />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy || !list}>
          Subscribe
        </button>
      </div>
    </form>
  );
}

function SubscriptionTable({
  items,
  onEdit,
  onRemove,
}: {
  items: Subscription[];
  onEdit: (subscription: Subscription) => void;
  onRemove: (subscription: Subscription) => void;
}) {
  if (items.length === 0) {
    return (
      <EmptyState title="Your instance subscribes to no list yet">
        <p>
          Subscribe with the form above; then point the sync (or your server) at the merged feed
          below.
        </p>
      </EmptyState>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table--stack">
        <caption className="visually-hidden">Your instance&apos;s subscriptions</caption>
        <thead>
          <tr>
            <th scope="col">List</th>
            <th scope="col">Minimum severity</th>
            <th scope="col">Tags</th>
            <th scope="col">Never blocked</th>
            <th scope="col">Since</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((subscription) => (
            <tr key={subscription.id}>
              <td data-label="List">
                <Link to={`/l/${seg(subscription.list)}`}>{subscription.listName}</Link>
              </td>
              <td data-label="Minimum severity">
                {subscription.minSeverity ? (
                  <SeverityBadge severity={subscription.minSeverity} />
                ) : (
                  "every entry"
                )}
              </td>
              <td data-label="Tags">
                {subscription.tags.length > 0 ? <Tags tags={subscription.tags} /> : "all"}
              </td>
              <td data-label="Never blocked" className="mono">
                {subscription.exclude.length > 0 ? subscription.exclude.join(", ") : "—"}
              </td>
              <td data-label="Since">
                <RelativeTime at={subscription.createdAt} />
              </td>
              <td className="cluster">
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onEdit(subscription)}
                >
                  Change
                  <span className="visually-hidden">
                    {" "}
                    the subscription to {subscription.listName}
                  </span>
                </button>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onRemove(subscription)}
                >
                  Unsubscribe<span className="visually-hidden"> from {subscription.listName}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One list's export URLs as placeholders of their size (most services hold a list or two). */
function ExportUrlsLoading() {
  return (
    <div className="skeleton" role="status">
      <span className="visually-hidden">Loading the lists…</span>
      <div className="skeleton__shape skeleton__shape--heading" aria-hidden="true" />
      <div className="grid-2" aria-hidden="true">
        {[1, 2, 3, 4].map((field) => (
          <div key={field} className="field">
            <div className="skeleton__shape skeleton__shape--label" />
            <div className="skeleton__shape skeleton__shape--control" />
            <p className="field__hint" />
          </div>
        ))}
      </div>
    </div>
  );
}

function ExportUrls({ lists }: { lists: BlockList[] }) {
  if (lists.length === 0) return <p className="muted">No lists yet.</p>;
  return (
    <div className="stack-lg">
      {lists.map((list) => (
        <div key={list.slug} className="stack">
          <h3>
            {list.name}{" "}
            {list.visibility === "members" && (
              <span className="badge badge--neutral">members only</span>
            )}
          </h3>
          <div className="grid-2">
            <CopyField
              id={`url-${list.slug}-csv`}
              label={`${list.name}: CSV (Mastodon)`}
              value={`${origin()}${exportPath(list.slug, "csv")}`}
            />
            <CopyField
              id={`url-${list.slug}-gts`}
              label={`${list.name}: CSV for GoToSocial (suspensions only)`}
              value={`${origin()}${exportPath(list.slug, "csv", "?min_severity=suspend")}`}
            />
            <CopyField
              id={`url-${list.slug}-json`}
              label={`${list.name}: JSON`}
              value={`${origin()}${exportPath(list.slug, "json")}`}
            />
            <CopyField
              id={`url-${list.slug}-txt`}
              label={`${list.name}: TXT`}
              value={`${origin()}${exportPath(list.slug, "txt")}`}
            />
          </div>
        </div>
      ))}
    </div>
  );
}

function HowTos() {
  const server = origin();
  return (
    <div className="stack-lg">
      <div className="grid-2">
        <section className="card" aria-labelledby="howto-mastodon">
          <h3 id="howto-mastodon">Mastodon: import the CSV</h3>
          <ol>
            <li>Download the list&apos;s CSV (its URL is above, and on the list&apos;s page).</li>
            <li>
              In Mastodon: <strong>Moderation → Federation → Import</strong>, choose the file,
              review and confirm.
            </li>
          </ol>
          <p className="small muted">
            Mastodon skips domains it already blocks and never upgrades an existing block (a silence
            stays a silence). It refuses files over 20,000 rows: add <code>?part=1</code>,{" "}
            <code>?part=2</code>… to the URL to get a large list in parts. To follow a list&apos;s
            changes and retractions automatically, use the sync below.
          </p>
        </section>
        <section className="card" aria-labelledby="howto-gts">
          <h3 id="howto-gts">GoToSocial: subscribe to the URL</h3>
          <ol>
            <li>
              <strong>Settings → Admin → Domain permissions → Subscriptions</strong>, new
              subscription of type <em>block</em>.
            </li>
            <li>
              URL: the <em>GoToSocial (suspensions only)</em> URL above, ending in{" "}
              <code>?min_severity=suspend</code>: GoToSocial turns every entry it reads into a full
              suspension, so milder entries must be left out.
            </li>
            <li>Content type: CSV.</li>
            <li>
              For a members-only list: Basic auth, any user name, and as password an{" "}
              <Link to="/tokens">API token</Link> with the <code>read</code> scope.
            </li>
          </ol>
        </section>
      </div>
      <section className="card" aria-labelledby="howto-sync">
        <h3 id="howto-sync">Any server: the fediblock sync cron job</h3>
        <p>
          <code>fediblock sync</code> reads your instance&apos;s merged feed (your subscriptions,
          filtered and with exclusions applied) and applies additions, changes and retractions
          through your server&apos;s admin API, leaving blocks you made by hand alone.
        </p>
        <CopyField
          id="url-merged-csv"
          label="Merged feed (CSV)"
          value={`${server}/api/v1/subscriptions/export.csv`}
          hint="Needs an API token of your instance: Authorization: Bearer, or Basic with the token as password."
        />
        <pre>
          <code>{`# crontab: every 15 minutes
*/15 * * * * fediblock sync --server ${server} \\
  --token-file /etc/fediblock/list-token --target mastodon \\
  --target-url https://your.instance \\
  --target-token-file /etc/fediblock/mastodon-token`}</code>
        </pre>
        <p className="small muted">
          Run it once with <code>--dry-run</code> first. Everything about it, including the safety
          brake and exit codes, is in <code>docs/sync.md</code> of the Fediblock Commons source.
        </p>
      </section>
    </div>
  );
}

export function SubscriptionsPage() {
  const { me } = useSession();
  const lists = useResource<{ items: BlockList[] }>("/api/v1/lists");
  const hasInstance = Boolean(me?.instance);
  const subscriptions = useResource<{ items: Subscription[] }>(
    hasInstance ? "/api/v1/subscriptions" : null,
  );
  const [message, setMessage] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Subscription | null>(null);
  const [editing, setEditing] = useState<Subscription | null>(null);
  const [removeError, setRemoveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const subscribed = new Set(subscriptions.data?.items.map((item) => item.list) ?? []);
  const available = (lists.data?.items ?? []).filter((list) => !subscribed.has(list.slug));

  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await api.delete(`/api/v1/subscriptions/${seg(removing.id)}`);
      setMessage(`Your instance no longer subscribes to ${removing.listName}.`);
      setRemoving(null);
      setRemoveError(null);
      subscriptions.reload();
    } catch (failure) {
      setRemoveError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title="Subscriptions and exports"
      lead="What your instance follows, the URLs your server or cron job reads, and how to set them up."
    >
      {message && <Banner kind="success">{message}</Banner>}
      <div className="stack-lg">
        {!hasInstance ? (
          <section className="card stack" aria-labelledby="subs-title">
            <h2 id="subs-title">Subscriptions</h2>
            <Banner kind="info">
              Your account belongs to no member instance, so it has no subscriptions. The export
              URLs below work for everyone.
            </Banner>
          </section>
        ) : (
          <>
            {/* The form first: the table, of unknown length until it arrives, would push it down. */}
            <section className="card stack" aria-labelledby="subscribe-title">
              <h2 id="subscribe-title">
                Subscribe {domainLabel(me?.instance?.domain ?? "")} to a list
              </h2>
              <SubscribeForm
                lists={lists.data && subscriptions.data ? available : undefined}
                onCreated={(text) => {
                  setMessage(text);
                  subscriptions.reload();
                }}
              />
            </section>
            <section className="card stack" aria-labelledby="subs-title">
              <h2 id="subs-title">Subscriptions of {domainLabel(me?.instance?.domain ?? "")}</h2>
              <ErrorBanner
                error={subscriptions.error}
                title="The subscriptions could not be loaded"
              />
              {subscriptions.loading && !subscriptions.data ? (
                <Skeleton lines={3} />
              ) : (
                subscriptions.data && (
                  <SubscriptionTable
                    items={subscriptions.data.items}
                    onEdit={(subscription) => {
                      setMessage(null);
                      setEditing(subscription);
                    }}
                    onRemove={(subscription) => {
                      setRemoveError(null);
                      setRemoving(subscription);
                    }}
                  />
                )
              )}
              {editing && (
                <EditSubscriptionForm
                  key={editing.id}
                  subscription={editing}
                  onCancel={() => setEditing(null)}
                  onSaved={(saved) => {
                    setEditing(null);
                    setMessage(`The subscription to ${saved.listName} is changed.`);
                    subscriptions.reload();
                  }}
                />
              )}
            </section>
          </>
        )}
        <section className="card stack" aria-labelledby="urls-title">
          <h2 id="urls-title">Export URLs of each list</h2>
          <p className="muted small">
            Public lists need no account. Members-only lists need your session in the browser, or an
            API token (Bearer, or HTTP Basic with the token as password).
          </p>
          <ErrorBanner error={lists.error} title="The lists could not be loaded" />
          {lists.data ? <ExportUrls lists={lists.data.items} /> : <ExportUrlsLoading />}
        </section>
        <section aria-labelledby="howto-title" className="stack">
          <h2 id="howto-title">Use the lists on your server</h2>
          <HowTos />
        </section>
      </div>
      <ConfirmDialog
        open={removing !== null}
        title={`Unsubscribe from ${removing?.listName ?? ""}?`}
        confirmLabel="Unsubscribe"
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(null)}
      >
        <p>
          On its next run, the sync lifts the blocks it made for this list (unless another list you
          follow has the same domains).
        </p>
        <ErrorBanner error={removeError} />
      </ConfirmDialog>
    </Page>
  );
}
