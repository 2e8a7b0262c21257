// Admin → Lists: every list with its visibility and rules, each to edit.
import { Link } from "react-router";
import { useResource } from "../../api/hooks.js";
import type { BlockList } from "../../api/types.js";
import { AdminTabs } from "../../components/AdminTabs.js";
import { ErrorBanner } from "../../components/Banner.js";
import { Page } from "../../components/Page.js";
import { EmptyState, Skeleton } from "../../components/States.js";
import { seg } from "../../forms.js";

export function AdminListsPage() {
  const lists = useResource<{ items: BlockList[] }>("/api/v1/lists");
  return (
    <Page
      title="Lists"
      lead="Edit a list's name, description, visibility and voting rules, or archive it."
      actions={
        <Link className="button button--primary" to="/admin/lists/new">
          New list
        </Link>
      }
    >
      <AdminTabs />
      <ErrorBanner error={lists.error} title="The lists could not be loaded" />
      {lists.loading && !lists.data ? (
        <Skeleton lines={4} />
      ) : lists.data && lists.data.items.length === 0 ? (
        <EmptyState title="No lists yet">
          <p>
            <Link to="/admin/lists/new">Create the first list</Link>.
          </p>
        </EmptyState>
      ) : (
        lists.data && (
          <div className="table-wrap">
            <table className="table--stack">
              <caption className="visually-hidden">All lists</caption>
              <thead>
                <tr>
                  <th scope="col">List</th>
                  <th scope="col">Visibility</th>
                  <th scope="col">Voting rules</th>
                  <th scope="col" className="num">
                    Entries
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {lists.data.items.map((list) => (
                  <tr key={list.slug}>
                    <td data-label="List">
                      <Link to={`/l/${seg(list.slug)}`}>{list.name}</Link>{" "}
                      <span className="muted small mono">{list.slug}</span>
                    </td>
                    <td data-label="Visibility">
                      {list.visibility === "public" ? "public" : "members only"}
                      {list.archivedAt !== null && (
                        <>
                          {" "}
                          <span className="badge badge--withdrawn">archived</span>
                        </>
                      )}
                    </td>
                    <td data-label="Voting rules">
                      quorum {list.policy.quorum}, {Math.round(list.policy.threshold * 100)}% yes,{" "}
                      {list.policy.votingDays} days, {list.policy.severityRule}
                    </td>
                    <td data-label="Entries" className="num">
                      {list.counts.entries}
                    </td>
                    <td data-label="Actions">
                      <Link
                        className="button button--small"
                        to={`/admin/lists/${seg(list.slug)}/edit`}
                      >
                        Edit<span className="visually-hidden"> {list.name}</span>
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
    </Page>
  );
}
