import { useState, type FormEvent } from "react";
import { api } from "../../api/client.js";
import { useResource } from "../../api/hooks.js";
import type { Instance } from "../../api/types.js";
import { Banner, ErrorBanner } from "../../components/Banner.js";
import { TextField } from "../../components/Field.js";
import { AdminTabs } from "../../components/AdminTabs.js";
import { Page } from "../../components/Page.js";
import { AbsoluteTime } from "../../components/RelativeTime.js";
import { EmptyState, Skeleton } from "../../components/States.js";
import { errorsAt, placedUnder, type FieldErrorMap } from "../../forms.js";
import { useFormSubmit } from "../../useFormSubmit.js";
import { domainLabel } from "../../idn.js";

export function InstancesPage() {
  const instances = useResource<{ items: Instance[] }>("/api/v1/instances");
  const [domain, setDomain] = useState("");
  const [name, setName] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const { form, busy, error, errors, run } = useFormSubmit();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    void run({
      check: (): FieldErrorMap =>
        domain.trim() ? {} : { domain: ["enter the instance's domain, e.g. example.social"] },
      send: async () => {
        const created = await api.post<Instance>("/api/v1/instances", {
          domain: domain.trim(),
          ...(name.trim() ? { name: name.trim() } : {}),
        });
        setDomain("");
        setName("");
        setMessage(`${created.domain} is a member instance. Create accounts for its admins next.`);
        instances.reload();
      },
    });
  };

  return (
    <Page
      title="Member instances"
      lead="Each member instance has one vote on every proposal, whichever of its accounts casts it."
    >
      <AdminTabs />
      {message && <Banner kind="success">{message}</Banner>}
      <div className="stack-lg">
        {/* The form before the table: a table of unknown length above it would push it down. */}
        <section className="card" aria-labelledby="add-instance-title">
          <h2 id="add-instance-title">Add an instance</h2>
          <ErrorBanner
            error={error}
            title="The instance was not added"
            placed={placedUnder("domain", "name")}
          />
          <form ref={form} className="form" noValidate onSubmit={submit}>
            <div className="form-row">
              <TextField
                label="Domain"
                hint="e.g. example.social"
                errors={errorsAt(errors, "domain")}
                autoCapitalize="none"
                spellCheck={false}
                value={domain}
                onChange={setDomain}
              />
              <TextField
                label="Name"
                hint="Defaults to the domain."
                errors={errorsAt(errors, "name")}
                optional
                value={name}
                onChange={setName}
              />
            </div>
            <div className="form-actions">
              <button type="submit" className="button button--primary" disabled={busy}>
                Add instance
              </button>
            </div>
          </form>
        </section>
        <section aria-labelledby="instances-title">
          <h2 id="instances-title">All instances</h2>
          <ErrorBanner error={instances.error} title="The instances could not be loaded" />
          {instances.loading && !instances.data ? (
            <Skeleton lines={4} />
          ) : instances.data && instances.data.items.length === 0 ? (
            <EmptyState title="No member instances yet">
              <p>Add the first one above.</p>
            </EmptyState>
          ) : (
            instances.data && (
              <div className="table-wrap">
                <table className="table--stack">
                  <caption className="visually-hidden">Member instances</caption>
                  <thead>
                    <tr>
                      <th scope="col">Domain</th>
                      <th scope="col">Name</th>
                      <th scope="col" className="num">
                        Accounts
                      </th>
                      <th scope="col">Public page</th>
                      <th scope="col">Member since</th>
                    </tr>
                  </thead>
                  <tbody>
                    {instances.data.items.map((instance) => (
                      <tr key={instance.domain}>
                        <td data-label="Domain" className="mono">
                          {domainLabel(instance.domain)}
                        </td>
                        <td data-label="Name">{instance.name}</td>
                        <td data-label="Accounts" className="num">
                          {instance.accounts}
                        </td>
                        <td data-label="Public page">
                          {instance.listed ? "listed" : <span className="muted">not listed</span>}
                        </td>
                        <td data-label="Member since">
                          <AbsoluteTime at={instance.createdAt} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          )}
        </section>
      </div>
    </Page>
  );
}
