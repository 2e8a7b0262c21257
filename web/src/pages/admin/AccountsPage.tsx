import { useState, type FormEvent } from "react";
import { api } from "../../api/client.js";
import { useResource } from "../../api/hooks.js";
import { ROLES, type Account, type Instance, type Role } from "../../api/types.js";
import { Banner, ErrorBanner } from "../../components/Banner.js";
import { ConfirmDialog } from "../../components/ConfirmDialog.js";
import { SelectField, TextField } from "../../components/Field.js";
import { AdminTabs } from "../../components/AdminTabs.js";
import { Page } from "../../components/Page.js";
import { AbsoluteTime } from "../../components/RelativeTime.js";
import { SecretPanel } from "../../components/SecretPanel.js";
import { Skeleton } from "../../components/States.js";
import { errorsAt, placedUnder, seg, type FieldErrorMap } from "../../forms.js";
import { useSession } from "../../session.js";
import { useFormSubmit } from "../../useFormSubmit.js";
import { domainLabel } from "../../idn.js";

const ROLE_HELP: Record<Role, string> = {
  member: "proposes, votes, imports for review",
  curator: "also decides proposals and edits entries on every list",
  admin: "also runs this service: lists, instances, accounts",
};

/** The choice "no instance" in the instance selects (no domain looks like it). */
const NO_INSTANCE = "(none)";

/** The domains an account's instance select offers: every instance, its own one among them. */
function instanceChoices(
  instances: Instance[] | undefined,
  current: { domain: string } | null,
): string[] {
  const domains = new Set((instances ?? []).map((item) => item.domain));
  if (current) domains.add(current.domain);
  return [...domains].sort();
}

interface OneTime {
  username: string;
  password: string;
  created: boolean;
}

function OneTimePassword({ secret, onDone }: { secret: OneTime; onDone: () => void }) {
  return (
    <SecretPanel
      id="one-time-password"
      title={
        secret.created
          ? `Account ${secret.username} created`
          : `New password for ${secret.username}`
      }
      label="One-time password"
      value={secret.password}
      doneLabel="Done"
      onDone={onDone}
    >
      <p>
        <strong>
          Give this one-time password to {secret.username} now: you will not see it again.
        </strong>{" "}
        They must choose their own password when they first sign in.
      </p>
    </SecretPanel>
  );
}

/** The form is there at once; its instance choices fill in when they arrive (`undefined` until). */
function NewAccount({
  instances,
  onCreated,
}: {
  instances: Instance[] | undefined;
  onCreated: (secret: OneTime) => void;
}) {
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<Role>("member");
  // Nothing preselected: the admin chooses an instance, or "No instance" on purpose.
  const [instance, setInstance] = useState("");
  const { form, busy, error, errors, run } = useFormSubmit();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run({
      check: (): FieldErrorMap => {
        const found: FieldErrorMap = {};
        if (!username.trim()) found.username = ["choose a user name"];
        if (!instance) {
          found.instance = ["choose the instance it votes for, or No instance (admins only)"];
        }
        return found;
      },
      send: async () => {
        const created = await api.post<Account & { password: string }>("/api/v1/accounts", {
          username: username.trim(),
          role,
          instance: instance === NO_INSTANCE ? null : instance,
        });
        setUsername("");
        setInstance("");
        onCreated({ username: created.username, password: created.password, created: true });
      },
    });
  };

  return (
    <form ref={form} className="form" noValidate onSubmit={submit}>
      <ErrorBanner
        error={error}
        title="The account was not created"
        placed={placedUnder("username", "role", "instance")}
      />
      <div className="form-row">
        <TextField
          label="User name"
          hint="Letters, digits, '.', '_' or '-'."
          errors={errorsAt(errors, "username")}
          autoCapitalize="none"
          autoComplete="off"
          spellCheck={false}
          value={username}
          onChange={setUsername}
        />
        <SelectField
          label="Role"
          hint={ROLE_HELP[role]}
          errors={errorsAt(errors, "role")}
          value={role}
          onChange={(value) => setRole(value as Role)}
        >
          {ROLES.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Instance"
          hint="Its vote counts for this instance. Without one, it cannot vote."
          errors={errorsAt(errors, "instance")}
          value={instance}
          disabled={!instances}
          onChange={setInstance}
        >
          {instances ? (
            <>
              <option value="">Choose an instance…</option>
              {instances.map((item) => (
                <option key={item.domain} value={item.domain}>
                  {domainLabel(item.domain)}
                </option>
              ))}
              <option value={NO_INSTANCE}>No instance (admins only)</option>
            </>
          ) : (
            <option value="">Loading…</option>
          )}
        </SelectField>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy || !instances}>
          Create account
        </button>
      </div>
    </form>
  );
}

type Pending =
  { action: "disable"; account: Account } | { action: "reset"; account: Account } | null;

export function AccountsPage() {
  const { me, refresh } = useSession();
  const accounts = useResource<{ items: Account[] }>("/api/v1/accounts");
  const instances = useResource<{ items: Instance[] }>("/api/v1/instances");
  const [secret, setSecret] = useState<OneTime | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);

  const patch = async (account: Account, body: object, done: string) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const answer = await api.patch<Account & { password?: string }>(
        `/api/v1/accounts/${seg(account.username)}`,
        body,
      );
      if (answer.password) {
        setSecret({ username: answer.username, password: answer.password, created: false });
      } else {
        setMessage(done);
      }
      setPending(null);
      accounts.reload();
      // The header shows the signed-in account's own instance.
      if (account.username === me?.account.username) await refresh();
    } catch (failure) {
      setError(failure);
      setPending(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Accounts" lead="The people who sign in: their role, instance and state.">
      <AdminTabs />
      <div className="stack-lg">
        {/* The form before the table: a table of unknown length above it would push it down. */}
        <section className="card" aria-labelledby="new-account-title">
          <h2 id="new-account-title">New account</h2>
          <ErrorBanner error={instances.error} title="The instances could not be loaded" />
          <NewAccount
            instances={instances.data?.items}
            onCreated={(created) => {
              setMessage(null);
              setSecret(created);
              accounts.reload();
            }}
          />
        </section>
        {secret && <OneTimePassword secret={secret} onDone={() => setSecret(null)} />}
        <section aria-labelledby="accounts-title">
          <h2 id="accounts-title">All accounts</h2>
          {/* Above the table whose controls made them: where the eye is. */}
          {message && <Banner kind="success">{message}</Banner>}
          <ErrorBanner error={error} title="The account was not changed" />
          <ErrorBanner error={accounts.error} title="The accounts could not be loaded" />
          {accounts.loading && !accounts.data ? (
            <Skeleton lines={5} />
          ) : (
            accounts.data && (
              <div className="table-wrap">
                <table className="table--stack">
                  <caption className="visually-hidden">Accounts</caption>
                  <thead>
                    <tr>
                      <th scope="col">User</th>
                      <th scope="col">Instance</th>
                      <th scope="col">Role</th>
                      <th scope="col">State</th>
                      <th scope="col">Created</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {accounts.data.items.map((account) => {
                      const self = account.username === me?.account.username;
                      return (
                        <tr key={account.username}>
                          <td data-label="User">
                            <strong>{account.username}</strong>
                            {self && <span className="muted small"> (you)</span>}
                          </td>
                          <td data-label="Instance">
                            <label
                              className="visually-hidden"
                              htmlFor={`instance-${account.username}`}
                            >
                              Instance of {account.username}
                            </label>
                            <select
                              id={`instance-${account.username}`}
                              className="mono"
                              value={account.instance?.domain ?? NO_INSTANCE}
                              disabled={busy || !instances.data}
                              onChange={(event) => {
                                const domain = event.target.value;
                                void patch(
                                  account,
                                  { instance: domain === NO_INSTANCE ? null : domain },
                                  domain === NO_INSTANCE
                                    ? `${account.username} belongs to no instance now.`
                                    : `${account.username} now votes for ${domainLabel(domain)}.`,
                                );
                              }}
                            >
                              {instanceChoices(instances.data?.items, account.instance).map(
                                (domain) => (
                                  <option key={domain} value={domain}>
                                    {domainLabel(domain)}
                                  </option>
                                ),
                              )}
                              <option value={NO_INSTANCE}>no instance</option>
                            </select>
                          </td>
                          <td data-label="Role">
                            <label className="visually-hidden" htmlFor={`role-${account.username}`}>
                              Role of {account.username}
                            </label>
                            <select
                              id={`role-${account.username}`}
                              value={account.role}
                              disabled={busy || self}
                              onChange={(event) =>
                                void patch(
                                  account,
                                  { role: event.target.value },
                                  `${account.username} is now ${event.target.value}.`,
                                )
                              }
                            >
                              {ROLES.map((role) => (
                                <option key={role} value={role}>
                                  {role}
                                </option>
                              ))}
                            </select>
                          </td>
                          <td data-label="State">
                            {account.disabled ? (
                              <span className="badge badge--rejected">disabled</span>
                            ) : account.mustChangePassword ? (
                              <span className="badge badge--neutral">one-time password</span>
                            ) : (
                              <span className="badge badge--passed">active</span>
                            )}
                          </td>
                          <td data-label="Created">
                            <AbsoluteTime at={account.createdAt} />
                          </td>
                          <td>
                            <div className="cluster">
                              {account.disabled ? (
                                <button
                                  type="button"
                                  className="button button--small"
                                  disabled={busy}
                                  onClick={() =>
                                    void patch(
                                      account,
                                      { disabled: false },
                                      `${account.username} can sign in again.`,
                                    )
                                  }
                                >
                                  Enable<span className="visually-hidden"> {account.username}</span>
                                </button>
                              ) : (
                                <button
                                  type="button"
                                  className="button button--small"
                                  disabled={busy || self}
                                  onClick={() => setPending({ action: "disable", account })}
                                >
                                  Disable
                                  <span className="visually-hidden"> {account.username}</span>
                                </button>
                              )}
                              <button
                                type="button"
                                className="button button--small"
                                disabled={busy}
                                onClick={() => setPending({ action: "reset", account })}
                              >
                                Reset password
                                <span className="visually-hidden"> of {account.username}</span>
                              </button>
                            </div>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )
          )}
        </section>
      </div>
      <ConfirmDialog
        open={pending?.action === "disable"}
        title={`Disable ${pending?.account.username ?? ""}?`}
        confirmLabel="Disable account"
        danger
        busy={busy}
        onConfirm={() =>
          pending &&
          void patch(
            pending.account,
            { disabled: true },
            `${pending.account.username} is disabled.`,
          )
        }
        onCancel={() => setPending(null)}
      >
        <p>
          They are signed out and cannot sign in; their tokens stop working. You can enable the
          account again later.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={pending?.action === "reset"}
        title={`Reset the password of ${pending?.account.username ?? ""}?`}
        confirmLabel="Reset password"
        danger
        busy={busy}
        onConfirm={() =>
          pending && void patch(pending.account, { resetPassword: true }, "Password reset.")
        }
        onCancel={() => setPending(null)}
      >
        <p>
          Their current password stops working and you get a one-time password to give them. They
          must change it when they sign in.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
