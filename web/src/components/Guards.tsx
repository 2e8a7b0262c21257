// Routes that need an account (or a role): send the signed-out to sign in and back, and an
// account with a one-time password to change it first.
import type { ReactNode } from "react";
import { Link, Navigate, useLocation } from "react-router";
import { isAdmin, isCurator, useSession } from "../session.js";
import { Banner } from "./Banner.js";
import { Page } from "./Page.js";
import { Skeleton } from "./States.js";

export function PageLoading() {
  return (
    <Page title="Loading…">
      <Skeleton lines={6} />
    </Page>
  );
}

export function RequireAccount({
  children,
  role,
}: {
  children: ReactNode;
  role?: "admin" | "curator";
}) {
  const { me, expired, signedOut } = useSession();
  const location = useLocation();
  if (me === undefined) return <PageLoading />;
  const here = location.pathname + location.search;
  if (me === null && signedOut) {
    return <Navigate to="/" replace state={{ flash: "You are signed out." }} />;
  }
  if (me === null) {
    const next = here === "/" ? "" : `?next=${encodeURIComponent(here)}`;
    return <Navigate to={`/sign-in${next}`} replace state={expired ? { expired: true } : null} />;
  }
  if (me.account.mustChangePassword && location.pathname !== "/account/password") {
    return <Navigate to={`/account/password?next=${encodeURIComponent(here)}`} replace />;
  }
  const allowed = role === "admin" ? isAdmin(me) : role === "curator" ? isCurator(me) : true;
  if (!allowed) {
    return (
      <Page title="Not allowed">
        <Banner kind="warning">
          This page is for {role === "admin" ? "admins" : "curators and admins"}. Your role is{" "}
          {me.account.role}.
        </Banner>
        <p>
          <Link to="/">Back to the lists</Link>
        </p>
      </Page>
    );
  }
  return <>{children}</>;
}
