// The frame around every page: skip link, header with the site navigation (a menu button on
// narrow screens), the main landmark and a footer.
import { useEffect, useRef, useState } from "react";
import {
  Link,
  Navigate,
  NavLink,
  Outlet,
  ScrollRestoration,
  useLocation,
  useNavigate,
} from "react-router";
import { onWrite } from "../api/client.js";
import { useResource } from "../api/hooks.js";
import type { AwaitingView } from "../api/types.js";
import { isAdmin, useSession } from "../session.js";
import { domainLabel } from "../idn.js";

function Brand() {
  return (
    <NavLink to="/" className="brand" end>
      <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="#3b6fd4" />
        <path d="M9 9h14v4H13v3h8v4h-8v4H9z" fill="#fff" />
      </svg>
      Fediblock Commons
    </NavLink>
  );
}

export function Layout() {
  const { me, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = useState(false);
  const firstPath = useRef(true);

  useEffect(() => {
    setMenuOpen(false);
    if (firstPath.current) {
      firstPath.current = false;
      return;
    }
    // After a client-side navigation, move focus to the new page's heading, as a page load would.
    const frame = window.requestAnimationFrame(() => {
      document.querySelector<HTMLElement>("#main h1")?.focus({ preventScroll: true });
    });
    return () => window.cancelAnimationFrame(frame);
  }, [location.pathname]);

  const signedIn = me !== null && me !== undefined;
  // What awaits the instance's vote, read again on every page change and after every write
  // (a vote, a new proposal).
  const waiting = useResource<AwaitingView>(
    signedIn && me.instance ? "/api/v1/instances/me/awaiting" : null,
  );
  const reloadWaiting = waiting.reload;
  useEffect(() => reloadWaiting(), [location.pathname, reloadWaiting]);
  useEffect(() => onWrite(reloadWaiting), [reloadWaiting]);
  const waitingCount = waiting.data?.count;
  // The sign-in page sends a one-time password to the change itself, with where to go next (sent
  // from here, "next" would be the sign-in page, which then drops the change's confirmation).
  const mustChange =
    signedIn &&
    me.account.mustChangePassword &&
    location.pathname !== "/account/password" &&
    location.pathname !== "/sign-in";
  const links: { to: string; label: string; end?: boolean; count?: number }[] = signedIn
    ? [
        { to: "/", label: "Lists", end: true },
        ...(me.instance
          ? [
              {
                to: "/waiting",
                label: "Your vote",
                ...(waitingCount !== undefined ? { count: waitingCount } : {}),
              },
            ]
          : []),
        { to: "/import", label: "Import" },
        { to: "/subscriptions", label: "Subscriptions" },
        { to: "/audit", label: "Audit log" },
        { to: "/tokens", label: "API tokens" },
        ...(isAdmin(me) ? [{ to: "/admin", label: "Admin" }] : []),
      ]
    : [{ to: "/", label: "Public lists", end: true }];

  const doSignOut = async () => {
    await signOut().catch(() => undefined);
    navigate("/", { state: { flash: "You are signed out." } });
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Brand />
          <button
            type="button"
            className="button button--small button--on-dark nav-toggle"
            aria-expanded={menuOpen}
            aria-controls="site-nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            Menu
          </button>
          <nav id="site-nav" className="site-nav" aria-label="Main" data-open={menuOpen}>
            <ul className="site-nav__main">
              {links.map((link) => (
                <li key={link.to}>
                  <NavLink to={link.to} end={link.end ?? false}>
                    {link.label}
                    {link.count !== undefined && (
                      <>
                        {" "}
                        <span className="nav-count" data-testid="waiting-count">
                          {link.count}
                        </span>
                        <span className="visually-hidden">
                          {link.count === 1 ? " proposal waiting" : " proposals waiting"}
                        </span>
                      </>
                    )}
                  </NavLink>
                </li>
              ))}
            </ul>
            <div className="site-nav__user">
              {signedIn ? (
                <>
                  <span className="site-nav__who">
                    <strong>{me.account.username}</strong>
                    <span>
                      {me.instance ? `${domainLabel(me.instance.domain)} · ` : ""}
                      {me.account.role}
                    </span>
                  </span>
                  <ul>
                    <li>
                      <NavLink to="/account/password">Password</NavLink>
                    </li>
                  </ul>
                  <button
                    type="button"
                    className="button button--small button--on-dark"
                    onClick={() => void doSignOut()}
                  >
                    Sign out
                  </button>
                </>
              ) : (
                me === null && (
                  <ul>
                    <li>
                      <NavLink to="/sign-in">Sign in</NavLink>
                    </li>
                  </ul>
                )
              )}
            </div>
          </nav>
        </div>
      </header>
      <main id="main" className="site-main" tabIndex={-1}>
        {/* Until the session is known the page is laid out hidden, its requests already on their
            way: it then appears once, signed in or out, instead of redrawing around the tabs and
            buttons an account adds. */}
        <div hidden={me === undefined}>
          {mustChange ? (
            <Navigate
              to={`/account/password?next=${encodeURIComponent(location.pathname + location.search)}`}
              replace
            />
          ) : (
            <Outlet />
          )}
        </div>
      </main>
      <footer className="site-footer">
        Fediblock Commons · shared, voted blocklists for the fediverse ·{" "}
        <Link to="/members">Who is a member</Link> · <a href="/api/openapi.json">API (OpenAPI)</a>
      </footer>
      <ScrollRestoration />
    </>
  );
}
