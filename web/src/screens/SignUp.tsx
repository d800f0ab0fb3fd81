import { useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api";
import { paths } from "../paths";
import { sessionStatus, signUp } from "../session";
import { Button, Checkbox, FormError, TextInput, usePageTitle } from "../ui";

/**
 * Create an account (POST /v1/auth/register). The API signs the new account in at once and mails a
 * link to confirm the address; processing consent is required, marketing consent separate and optional.
 */
export function SignUp() {
  const location = useLocation();
  usePageTitle("Create an account");
  const [email, setEmail] = useState("");
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [consent, setConsent] = useState(false);
  const [marketing, setMarketing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const status = sessionStatus.value;

  useEffect(() => {
    if (status === "signed-in") location.route(paths.home, true);
  }, [status]);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signUp({
        email,
        username,
        password,
        data_processing_consent: consent as true,
        marketing_consent: marketing,
        ...(displayName.trim() ? { display_name: displayName.trim() } : {}),
      });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <section class="auth-card" aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">Create an account</h1>
      <form onSubmit={submit}>
        <FormError error={error} />
        <TextInput label="Email" name="email" type="email" autoComplete="email" required maxLength={255} value={email} onValue={setEmail} error={fields.email} />
        <TextInput
          label="Username"
          name="username"
          autoComplete="username"
          hint="3 to 30 letters, digits or underscores. It is your address on Veza."
          required
          minLength={3}
          maxLength={30}
          pattern="[A-Za-z0-9_]{3,30}"
          value={username}
          onValue={setUsername}
          error={fields.username}
        />
        <TextInput
          label="Display name (optional)"
          name="display_name"
          autoComplete="nickname"
          maxLength={100}
          value={displayName}
          onValue={setDisplayName}
          error={fields.display_name}
        />
        <TextInput
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters."
          required
          minLength={10}
          maxLength={128}
          value={password}
          onValue={setPassword}
          error={fields.password}
        />
        <Checkbox
          name="data_processing_consent"
          required
          checked={consent}
          onChecked={setConsent}
          error={fields.data_processing_consent}
          label="I agree that Veza processes the data my account needs (required)."
        />
        <Checkbox
          name="marketing_consent"
          checked={marketing}
          onChecked={setMarketing}
          error={fields.marketing_consent}
          label="Send me news about Veza by email (optional; change it any time in settings)."
        />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            Create my account
          </Button>
        </div>
      </form>
      <p class="auth-switch">
        Already have an account? <a href={paths.signIn()}>Sign in</a>
      </p>
    </section>
  );
}
