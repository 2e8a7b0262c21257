// The route table of the UI. Export URLs (/lists/SLUG.csv…) are answered by the server before
// the UI loads, so list pages live under /l/SLUG; /lists/SLUG redirects there.
import type { ReactNode } from "react";
import { Navigate, createBrowserRouter, useParams } from "react-router";
import { RouterProvider } from "react-router/dom";
import { RequireAccount } from "./components/Guards.js";
import { Layout } from "./components/Layout.js";
import { AppealFormPage } from "./pages/AppealFormPage.js";
import { AppealPage } from "./pages/AppealPage.js";
import { AuditPage } from "./pages/AuditPage.js";
import { ChangePasswordPage } from "./pages/ChangePasswordPage.js";
import { EntryPage } from "./pages/EntryPage.js";
import { ImportPage } from "./pages/ImportPage.js";
import { ListEntriesPage } from "./pages/ListEntriesPage.js";
import { ListsPage } from "./pages/ListsPage.js";
import { MembersPage } from "./pages/MembersPage.js";
import { NotFoundPage } from "./pages/NotFoundPage.js";
import { ProposalPage } from "./pages/ProposalPage.js";
import { ProposalsPage } from "./pages/ProposalsPage.js";
import { ProposePage } from "./pages/ProposePage.js";
import { SignInPage } from "./pages/SignInPage.js";
import { SourcesPage } from "./pages/SourcesPage.js";
import { SubscriptionsPage } from "./pages/SubscriptionsPage.js";
import { TokensPage } from "./pages/TokensPage.js";
import { WaitingPage } from "./pages/WaitingPage.js";
import { AccountsPage } from "./pages/admin/AccountsPage.js";
import { AdminListsPage } from "./pages/admin/AdminListsPage.js";
import { EditListPage } from "./pages/admin/EditListPage.js";
import { InstancesPage } from "./pages/admin/InstancesPage.js";
import { NewListPage } from "./pages/admin/NewListPage.js";
import { SessionProvider } from "./session.js";

function ListAlias() {
  const { slug = "" } = useParams();
  return <Navigate to={`/l/${encodeURIComponent(slug)}`} replace />;
}

const account = (element: ReactNode, role?: "admin" | "curator") => (
  <RequireAccount {...(role ? { role } : {})}>{element}</RequireAccount>
);

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: "/", element: <ListsPage /> },
      { path: "/sign-in", element: <SignInPage /> },
      { path: "/members", element: <MembersPage /> },
      { path: "/account/password", element: account(<ChangePasswordPage />) },
      { path: "/l/:slug", element: <ListEntriesPage /> },
      { path: "/l/:slug/entries/:domain", element: <EntryPage /> },
      { path: "/l/:slug/entries/:domain/appeal", element: <AppealFormPage /> },
      { path: "/appeals/:id", element: <AppealPage /> },
      { path: "/l/:slug/proposals", element: account(<ProposalsPage />) },
      { path: "/l/:slug/propose", element: account(<ProposePage />) },
      { path: "/l/:slug/sources", element: account(<SourcesPage />) },
      { path: "/lists/:slug", element: <ListAlias /> },
      { path: "/proposals/:id", element: account(<ProposalPage />) },
      { path: "/import", element: account(<ImportPage />) },
      { path: "/subscriptions", element: account(<SubscriptionsPage />) },
      { path: "/tokens", element: account(<TokensPage />) },
      { path: "/waiting", element: account(<WaitingPage />) },
      { path: "/audit", element: account(<AuditPage />) },
      { path: "/admin", element: <Navigate to="/admin/accounts" replace /> },
      { path: "/admin/instances", element: account(<InstancesPage />, "admin") },
      { path: "/admin/accounts", element: account(<AccountsPage />, "admin") },
      { path: "/admin/lists", element: account(<AdminListsPage />, "admin") },
      { path: "/admin/lists/new", element: account(<NewListPage />, "admin") },
      { path: "/admin/lists/:slug/edit", element: account(<EditListPage />, "admin") },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
