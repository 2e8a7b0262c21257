import { useState, type FormEvent } from "react";
import { api } from "../api/client.js";
import { useResource } from "../api/hooks.js";
import type { ApiToken, Scope } from "../api/types.js";
import { Banner, ErrorBanner } from "../components/Banner.js";
import { ConfirmDialog } from "../components/ConfirmDialog.js";
import { Choice, Choices, TextField } from "../components/Field.js";
import { Page } from "../components/Page.js";
import { AbsoluteTime, RelativeTime } from "../components/RelativeTime.js";
import { SecretPanel } from "../components/SecretPanel.js";
import { EmptyState, Skeleton } from "../components/States.js";
import { errorsAt, placedUnder, seg, type FieldErrorMap } from "../forms.js";
import { isAdmin, useSession } from "../session.js";
import { useFormSubmit } from "../useFormSubmit.js";

const SCOPE_HELP: Record<Scope, string> = {
  read: "read lists, exports and your instance's merged feed (enough for the sync)",
  write: "propose, vote, import, manage subscriptions and your tokens",
  admin: "admin routes: instances, accounts, lists",
};

function NewToken({ onCreated }: { onCreated: (token: ApiToken & { token: string }) => void }) {
  const { me } = useSession();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["read"]);
  const { form, busy, error, errors, run } = useFormSubmit();
  const offered: Scope[] = isAdmin(me) ? ["read", "write", "admin"] : ["read", "write"];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run({
      check: () => {
        const found: FieldErrorMap = {};
        if (!name.trim()) found.name = ["give the token a name, e.g. the server that uses it"];
        if (scopes.length === 0) found.scopes = ["choose at least one scope"];
        return found;
      },
      send: async () => {
        const created = await api.post<ApiToken & { token: string }>("/api/v1/tokens", {
          name: name.trim(),
          scopes,
        });
        setName("");
        setScopes(["read"]);
        onCreated(created);
      },
    });
  };

  return (
    <form ref={form} className="form" noValidate onSubmit={submit}>
      <ErrorBanner
        error={error}
        title="The token was not created"
        placed={placedUnder("name", "scopes")}
      />
      <TextField
        label="Name"
        hint="What uses it, e.g. “sync on mastodon.example”."
        errors={errorsAt(errors, "name")}
        maxLength={100}
        value={name}
        onChange={setName}
      />
      <Choices legend="Scopes" errors={errorsAt(errors, "scopes")}>
        {offered.map((scope) => (
          <Choice
            key={scope}
            type="checkbox"
            name="scopes"
            value={scope}
            label={<code>{scope}</code>}
            hint={SCOPE_HELP[scope]}
            checked={scopes.includes(scope)}
            onChange={(checked) =>
              setScopes((old) => (checked ? [...old, scope] : old.filter((s) => s !== scope)))
            }
          />
        ))}
      </Choices>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Create token
        </button>
      </div>
    </form>
  );
}

export function TokensPage() {
  const tokens = useResource<{ items: ApiToken[] }>("/api/v1/tokens");
  const [created, setCreated] = useState<(ApiToken & { token: string }) | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [revokeError, setRevokeError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    try {
      await api.delete(`/api/v1/tokens/${seg(revoking.id)}`);
      setMessage(`The token “${revoking.name}” is revoked: requests with it now fail.`);
      if (created?.id === revoking.id) setCreated(null);
      setRevoking(null);
      tokens.reload();
    } catch (failure) {
      setRevokeError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title="API tokens"
      lead="Tokens let scripts act as you: the sync cron job, GoToSocial's subscription to a members-only list, your own tools. Give each its own token, with the fewest scopes it needs."
    >
      {message && <Banner kind="success">{message}</Banner>}
      <div className="stack-lg">
        {created && (
          <SecretPanel
            id="new-token"
            title={`Your new token “${created.name}”`}
            label="Token"
            value={created.token}
            doneLabel="I have copied it"
            onDone={() => setCreated(null)}
          >
            <p>
              <strong>Copy it now: you will not see this again.</strong> Only a hash of it is
              stored. If you lose it, revoke it and create another.
            </p>
          </SecretPanel>
        )}
        <section className="card" aria-labelledby="tokens-title">
          <h2 id="tokens-title">Your tokens</h2>
          <ErrorBanner error={tokens.error} title="The tokens could not be loaded" />
          {tokens.loading && !tokens.data ? (
            <Skeleton lines={3} />
          ) : tokens.data && tokens.data.items.length === 0 ? (
            <EmptyState title="You have no API tokens">
              <p>Create one below for the sync or a script.</p>
            </EmptyState>
          ) : (
            tokens.data && (
              <div className="table-wrap">
                <table className="table--stack">
                  <caption className="visually-hidden">Your API tokens</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Scopes</th>
                      <th scope="col">Created</th>
                      <th scope="col">Last used</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {tokens.data.items.map((token) => (
                      <tr key={token.id}>
                        <td data-label="Name">
                          {token.name}
                          <div className="muted small mono">fbk_{token.id}_…</div>
                        </td>
                        <td data-label="Scopes">{token.scopes.join(", ")}</td>
                        <td data-label="Created">
                          <AbsoluteTime at={token.createdAt} />
                        </td>
                        <td data-label="Last used">
                          {token.lastUsedAt ? <RelativeTime at={token.lastUsedAt} /> : "never"}
                        </td>
                        <td>
                          <button
                            type="button"
                            className="button button--small"
                            onClick={() => {
                              setRevokeError(null);
                              setRevoking(token);
                            }}
                          >
                            Revoke<span className="visually-hidden"> {token.name}</span>
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          )}
        </section>
        <section className="card" aria-labelledby="new-token-title">
          <h2 id="new-token-title">New token</h2>
          <NewToken
            onCreated={(token) => {
              setMessage(null);
              setCreated(token);
              tokens.reload();
            }}
          />
        </section>
      </div>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        confirmLabel="Revoke token"
        danger
        busy={busy}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>Scripts using this token stop working at once. This cannot be undone.</p>
        <ErrorBanner error={revokeError} />
      </ConfirmDialog>
    </Page>
  );
}
