// The public members page: the member instances that chose to be listed (none by default:
// listing members can expose them to retaliation). An instance's own accounts opt in or out here.
import { useState } from "react";
import { api } from "../api/client.js";
import { useResource } from "../api/hooks.js";
import type { Instance, ListedMember } from "../api/types.js";
import { Banner, ErrorBanner } from "../components/Banner.js";
import { Page } from "../components/Page.js";
import { AbsoluteTime } from "../components/RelativeTime.js";
import { EmptyState, Skeleton } from "../components/States.js";
import { seg } from "../forms.js";
import { domainLabel } from "../idn.js";
import { useSession } from "../session.js";

/** The signed-in account's own instance: whether it is listed, and the switch. */
function OwnInstance({ domain, onChanged }: { domain: string; onChanged: () => void }) {
  const directory = useResource<{ items: Instance[] }>("/api/v1/instances");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const own = directory.data?.items.find((item) => item.domain === domain);

  const change = async (listed: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.patch<Instance>(`/api/v1/instances/${seg(domain)}`, { listed });
      directory.setData({
        items: (directory.data?.items ?? []).map((item) =>
          item.domain === saved.domain ? saved : item,
        ),
      });
      setMessage(
        saved.listed
          ? `${domainLabel(domain)} is listed on this page now.`
          : `${domainLabel(domain)} is no longer listed on this page.`,
      );
      onChanged();
    } catch (failure) {
      setError(failure);
      setMessage(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="own-instance-title">
      <h2 id="own-instance-title">Your instance, {domainLabel(domain)}</h2>
      <ErrorBanner error={directory.error} title="Your instance could not be loaded" />
      {own && (
        <>
          <p>
            {own.listed
              ? "It is listed here: anyone can see that it is a member of this coalition."
              : "It is not listed here. Only signed-in members see that it is a member."}{" "}
            Being listed shows your support, and can also make your instance a target of the
            instances the lists block: decide with your instance&apos;s team.
          </p>
          <ErrorBanner error={error} title="That did not work" />
          {message && <Banner kind="success">{message}</Banner>}
          <div className="form-actions">
            <button
              type="button"
              className={own.listed ? "button" : "button button--primary"}
              disabled={busy}
              onClick={() => void change(!own.listed)}
            >
              {own.listed
                ? `Take ${domainLabel(domain)} off this page`
                : `List ${domainLabel(domain)} here`}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

export function MembersPage() {
  const { me } = useSession();
  const members = useResource<{ items: ListedMember[] }>("/api/v1/members");
  const domain = me?.instance?.domain;
  return (
    <Page
      title="Member instances"
      lead="The member instances that chose to be listed publicly. Others are members too: an instance is listed only if it opts in."
    >
      <div className="stack-lg">
        <section aria-labelledby="members-title">
          <h2 id="members-title">Listed members</h2>
          <ErrorBanner error={members.error} title="The members could not be loaded" />
          {members.loading && !members.data ? (
            <Skeleton lines={3} />
          ) : members.data && members.data.items.length === 0 ? (
            <EmptyState title="No instance is listed yet">
              <p>Member instances appear here once they choose to.</p>
            </EmptyState>
          ) : (
            members.data && (
              <div className="table-wrap">
                <table className="table--stack">
                  <caption className="visually-hidden">Listed member instances</caption>
                  <thead>
                    <tr>
                      <th scope="col">Instance</th>
                      <th scope="col">Name</th>
                      <th scope="col">Member since</th>
                    </tr>
                  </thead>
                  <tbody>
                    {members.data.items.map((member) => (
                      <tr key={member.domain}>
                        <td data-label="Instance" className="mono">
                          {domainLabel(member.domain)}
                        </td>
                        <td data-label="Name">{member.name}</td>
                        <td data-label="Member since">
                          <AbsoluteTime at={member.memberSince} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          )}
        </section>
        {domain && <OwnInstance domain={domain} onChanged={members.reload} />}
      </div>
    </Page>
  );
}
