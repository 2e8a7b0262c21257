import { useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { api } from "../api/client.js";
import { Banner, ErrorBanner } from "../components/Banner.js";
import { TextField } from "../components/Field.js";
import { Page } from "../components/Page.js";
import { errorsAt, placedUnder, type FieldErrorMap } from "../forms.js";
import { useSession } from "../session.js";
import { useFormSubmit } from "../useFormSubmit.js";
import { safeNext } from "./SignInPage.js";

const MIN_LENGTH = 12;

export function ChangePasswordPage() {
  const { me, refresh, oneTimePassword } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const [repeat, setRepeat] = useState("");
  const { form, busy, error, errors, run } = useFormSubmit();
  const mustChange = me?.account.mustChangePassword ?? false;
  // Just signed in with the one-time password: it is not asked again.
  const typed = mustChange ? oneTimePassword : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run({
      check: () => {
        const found: FieldErrorMap = {};
        if (!typed && !currentPassword) found.currentPassword = ["enter your current password"];
        if (newPassword.length < MIN_LENGTH) {
          found.newPassword = [`use at least ${MIN_LENGTH} characters`];
        }
        if (repeat !== newPassword) found.repeat = ["does not match the new password"];
        return found;
      },
      send: async () => {
        await api.post("/api/v1/me/password", {
          currentPassword: typed ?? currentPassword,
          newPassword,
        });
        await refresh();
        navigate(safeNext(params.get("next")), {
          replace: true,
          state: {
            flash: mustChange
              ? "Your password is changed. Sign in with it from now on: the one-time password no longer works."
              : "Your password is changed. Other browsers signed in as you are signed out.",
          },
        });
      },
      leavesPage: true,
    });
  };

  return (
    <Page
      title={mustChange ? "Choose your password" : "Change your password"}
      lead={`At least ${MIN_LENGTH} characters. A passphrase of several words is easy to remember and hard to guess.`}
    >
      {mustChange && (
        <Banner kind="info" title="Your password was set by an admin">
          {typed
            ? "You signed in with a one-time password: choose one only you know before you go on."
            : "Replace the one-time password with one only you know before you go on."}
        </Banner>
      )}
      <ErrorBanner
        error={error}
        title="The password was not changed"
        placed={typed ? placedUnder("newPassword") : placedUnder("currentPassword", "newPassword")}
      />
      <form ref={form} className="form card" noValidate onSubmit={submit}>
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={me?.account.username ?? ""}
          readOnly
          hidden
        />
        {!typed && (
          <TextField
            label={mustChange ? "One-time password" : "Current password"}
            errors={errorsAt(errors, "currentPassword")}
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={setCurrent}
          />
        )}
        <TextField
          label="New password"
          errors={errorsAt(errors, "newPassword")}
          type="password"
          autoComplete="new-password"
          minLength={MIN_LENGTH}
          value={newPassword}
          onChange={setNew}
        />
        <TextField
          label="New password again"
          errors={errorsAt(errors, "repeat")}
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={setRepeat}
        />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? "Saving…" : "Change password"}
          </button>
        </div>
      </form>
    </Page>
  );
}
