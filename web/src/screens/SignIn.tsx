import { useLocation } from "preact-iso";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api";
import { paths } from "../paths";
import { needsSecondFactor, sessionStatus, signIn, wrongSecondFactor } from "../session";
import { Button, FormError, TextInput, usePageTitle } from "../ui";

/** Where to go after signing in: a local path from `?next=`, never another origin. */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : paths.home;
}

/**
 * Sign in with email or username and password, then — when the account has two-factor
 * authentication — a TOTP or backup code. Shown at /sign-in, and in place of any screen that
 * needs an account (`notice` says why); there it stays on the same URL once signed in.
 */
export function SignIn({ notice }: { notice?: string }) {
  const location = useLocation();
  const onSignInPage = location.path === "/sign-in";
  usePageTitle("Sign in");
  const [identifier, setIdentifier] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [step, setStep] = useState<"password" | "code">("password");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [codeError, setCodeError] = useState<string>();
  const codeRef = useRef<HTMLInputElement>(null);
  const status = sessionStatus.value;

  // Already signed in (or just signed in, here or in another tab): on to where they were going.
  useEffect(() => {
    if (onSignInPage && status === "signed-in") location.route(safeNext(location.query.next), true);
  }, [onSignInPage, status]);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setCodeError(undefined);
    try {
      await signIn({ identifier, password, ...(step === "code" ? { code: code.replace(/\s+/g, "") } : {}) });
    } catch (err) {
      if (needsSecondFactor(err)) {
        setStep("code");
        requestAnimationFrame(() => codeRef.current?.focus());
      } else if (step === "code" && wrongSecondFactor(err)) {
        setCodeError("This code is not valid. Try the current code, or a backup code.");
        codeRef.current?.focus();
      } else {
        if (err instanceof ApiError && err.status === 401) setStep("password");
        setError(err instanceof ApiError && err.status === 401 ? new Error("The email, username or password is not right.") : err);
      }
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <section class="auth-card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      {notice && <p class="notice">{notice}</p>}
      <form onSubmit={submit} noValidate={false}>
        <FormError error={error} />
        {step === "password" ? (
          <>
            <TextInput
              label="Email or username"
              name="identifier"
              autoComplete="username"
              required
              maxLength={255}
              value={identifier}
              onValue={setIdentifier}
              error={fields.identifier}
            />
            <TextInput
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onValue={setPassword}
              error={fields.password}
            />
          </>
        ) : (
          <>
            <p>Two-factor authentication is on for this account.</p>
            <TextInput
              label="Authentication code"
              name="code"
              hint="The 6-digit code from your authenticator app, or one of your backup codes."
              autoComplete="one-time-code"
              inputMode="text"
              required
              minLength={6}
              maxLength={64}
              value={code}
              onValue={setCode}
              error={codeError}
              inputRef={codeRef}
            />
          </>
        )}
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            {step === "code" ? "Verify and sign in" : "Sign in"}
          </Button>
          {step === "code" && (
            <Button
              variant="ghost"
              onClick={() => {
                setStep("password");
                setCode("");
                setCodeError(undefined);
              }}
            >
              Back
            </Button>
          )}
        </div>
      </form>
      <p>
        <a href={paths.resetPassword}>Forgot your password?</a>
      </p>
      <p class="auth-switch">
        New to Veza? <a href={paths.signUp}>Create an account</a>
      </p>
    </section>
  );
}
