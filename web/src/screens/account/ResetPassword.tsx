/**
 * /reset-password — without a token, "forgot your password?": ask for a link (POST
 * /v1/auth/password-reset, the same answer whether or not the address has an account). With the
 * mailed `?token=`, choose the new password (POST /v1/auth/password-reset/confirm), which signs the
 * account out everywhere.
 */
import "./account.css";
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { ApiError, clearTokens, getTokens, post } from "../../api";
import { paths } from "../../paths";
import { me } from "../../session";
import { Button, FormError, TextInput, usePageTitle } from "../../ui";
import type { Accepted } from "../settings/types";

export default function ResetPassword() {
  const { query } = useLocation();
  return query.token ? <ChooseNewPassword token={query.token} /> : <RequestLink />;
}

function RequestLink() {
  usePageTitle("Forgot your password?");
  const [email, setEmail] = useState(me.value?.email ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<string>();

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setSent((await post<Accepted>("/v1/auth/password-reset", { email: email.trim() }, { auth: false })).detail);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <section class="auth-card account-page" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Forgot your password?</h1>
      {sent ? (
        <div role="status">
          <p class="account-ok">{sent}</p>
          <p class="muted">Nothing arrived? Check your spam folder, or ask again in a minute.</p>
          <Button onClick={() => setSent(undefined)}>Ask again</Button>
        </div>
      ) : (
        <form onSubmit={submit}>
          <p>Enter the email address of your account: we will send it a link to choose a new password.</p>
          <FormError error={error} />
          <TextInput label="Email" name="email" type="email" autoComplete="email" required maxLength={255} value={email} onValue={setEmail} error={fields.email} autoFocus />
          <div class="form-actions">
            <Button type="submit" variant="primary" busy={busy}>
              Send me a link
            </Button>
          </div>
        </form>
      )}
      <p class="auth-switch">
        Remembered it? <a href={paths.signIn()}>Sign in</a>
      </p>
    </section>
  );
}

function ChooseNewPassword({ token }: { token: string }) {
  usePageTitle("Choose a new password");
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState<string>();
  const [done, setDone] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (password !== again) {
      setMismatch("The two passwords are not the same.");
      return;
    }
    setMismatch(undefined);
    setBusy(true);
    setError(null);
    try {
      await post("/v1/auth/password-reset/confirm", { token, new_password: password }, { auth: false });
      // Every session of the account ended, this browser's too if it was signed in.
      if (getTokens()) clearTokens();
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  const linkDead = error instanceof ApiError && error.status === 401;
  return (
    <section class="auth-card account-page" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      {done ? (
        <div role="status">
          <p class="account-ok">Your password is changed. For your safety, every device was signed out.</p>
          <a class="btn btn-primary" href={paths.signIn()}>
            Sign in with the new password
          </a>
        </div>
      ) : (
        <form onSubmit={submit}>
          <FormError error={error} />
          {linkDead && (
            <p>
              <a href={paths.resetPassword}>Ask for a new link</a>
            </p>
          )}
          <TextInput
            label="New password"
            name="new_password"
            type="password"
            autoComplete="new-password"
            hint="At least 10 characters, and not one of your last 5 passwords."
            required
            minLength={10}
            maxLength={128}
            value={password}
            onValue={setPassword}
            error={fields.new_password}
            autoFocus
          />
          <TextInput label="New password, again" name="new_password_again" type="password" autoComplete="new-password" required value={again} onValue={setAgain} error={mismatch} />
          <div class="form-actions">
            <Button type="submit" variant="primary" busy={busy}>
              Save the new password
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
