import { useRef, useState, type FormEvent } from "react";
import { Navigate, useLocation, useNavigate, useSearchParams } from "react-router";
import { Banner, ErrorBanner } from "../components/Banner.js";
import { TextField } from "../components/Field.js";
import { Page } from "../components/Page.js";
import { useSession } from "../session.js";

/** Only same-site paths: never send a user on to another origin after sign-in. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function SignInPage() {
  const { me, signIn } = useSession();
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const next = safeNext(params.get("next"));
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const usernameInput = useRef<HTMLInputElement>(null);
  const expired = (location.state as { expired?: boolean } | null)?.expired;

  if (me && !busy) return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await signIn(username.trim(), password);
      if (answer.account.mustChangePassword) {
        navigate(`/account/password?next=${encodeURIComponent(next)}`, { replace: true });
      } else {
        navigate(next, { replace: true });
      }
    } catch (failure) {
      setError(failure);
      setPassword("");
      setBusy(false);
      usernameInput.current?.focus();
    }
  };

  return (
    <Page
      title="Sign in"
      lead="For curators and members of the coalition. Public lists and their exports need no account."
    >
      {expired && <Banner kind="info">Your session has ended. Sign in again to continue.</Banner>}
      <ErrorBanner error={error} title="Could not sign in" />
      <form className="form card" onSubmit={(event) => void submit(event)}>
        <TextField
          label="User name"
          ref={usernameInput}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={username}
          onChange={setUsername}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
        />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </div>
        <p className="muted small">
          Forgot your password? Ask an admin of this service to reset it: you will get a one-time
          password to change on your next sign-in.
        </p>
      </form>
    </Page>
  );
}
