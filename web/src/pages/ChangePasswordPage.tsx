import { useRef, useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { api } from "../api/client.js";
import { Banner, ErrorBanner } from "../components/Banner.js";
import { Field } from "../components/Field.js";
import { Page } from "../components/Page.js";
import {
  apiFieldErrors,
  errorsAt,
  focusFirstInvalid,
  placedUnder,
  type FieldErrorMap,
} from "../forms.js";
import { useSession } from "../session.js";
import { safeNext } from "./SignInPage.js";

const MIN_LENGTH = 12;

export function ChangePasswordPage() {
  const { me, refresh } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<FieldErrorMap>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const mustChange = me?.account.mustChangePassword ?? false;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrorMap = {};
    if (!currentPassword) found.currentPassword = ["enter your current password"];
    if (newPassword.length < MIN_LENGTH) {
      found.newPassword = [`use at least ${MIN_LENGTH} characters`];
    }
    if (repeat !== newPassword) found.repeat = ["does not match the new password"];
    setErrors(found);
    setError(null);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      await api.post("/api/v1/me/password", { currentPassword, newPassword });
      await refresh();
      navigate(safeNext(params.get("next")), {
        replace: true,
        state: {
          flash: "Your password is changed. Other browsers signed in as you are signed out.",
        },
      });
    } catch (failure) {
      setError(failure);
      setErrors(apiFieldErrors(failure));
      setBusy(false);
      focusFirstInvalid(form.current);
    }
  };

  return (
    <Page
      title={mustChange ? "Choose your password" : "Change your password"}
      lead={`At least ${MIN_LENGTH} characters. A passphrase of several words is easy to remember and hard to guess.`}
    >
      {mustChange && (
        <Banner kind="info" title="Your password was set by an admin">
          Replace the one-time password with one only you know before you go on.
        </Banner>
      )}
      <ErrorBanner
        error={error}
        title="The password was not changed"
        placed={placedUnder("currentPassword", "newPassword")}
      />
      <form ref={form} className="form card" noValidate onSubmit={(event) => void submit(event)}>
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={me?.account.username ?? ""}
          readOnly
          hidden
        />
        <Field
          label={mustChange ? "One-time password" : "Current password"}
          errors={errorsAt(errors, "currentPassword")}
        >
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              value={currentPassword}
              onChange={(event) => setCurrent(event.target.value)}
            />
          )}
        </Field>
        <Field label="New password" errors={errorsAt(errors, "newPassword")}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              minLength={MIN_LENGTH}
              value={newPassword}
              onChange={(event) => setNew(event.target.value)}
            />
          )}
        </Field>
        <Field label="New password again" errors={errorsAt(errors, "repeat")}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              value={repeat}
              onChange={(event) => setRepeat(event.target.value)}
            />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? "Saving…" : "Change password"}
          </button>
        </div>
      </form>
    </Page>
  );
}
