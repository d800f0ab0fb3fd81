/**
 * /auth/callback#outcome=… — where the API's OAuth callback sends the browser (src/domains/oauth/
 * callback.ts). The result rides in the fragment, which is read once and wiped from the address bar
 * and history: signed in (or up) → keep the session; linked → back to the connected accounts; a
 * second factor required → ask for a code and exchange the ticket (POST /v1/auth/oauth/second-factor).
 */
import "./account.css";
import { useLocation } from "preact-iso";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, post, setSession } from "../../api";
import { paths } from "../../paths";
import { reloadMe } from "../../session";
import type { SignedIn } from "../../types/api";
import { Button, FormError, Loading, TextInput, usePageTitle } from "../../ui";
import { safeNext } from "../SignIn";
import { providerLabels, type OAuthOutcome, type Provider } from "../settings/types";

interface Result {
  outcome: OAuthOutcome;
  provider: Provider | null;
  redirectTo: string | undefined;
  ticket: string | null;
  session: { accessToken: string; refreshToken: string; sessionId: string; expiresIn: number } | null;
}

const OUTCOMES: OAuthOutcome[] = ["signed_in", "signed_up", "linked", "two_factor_required"];

function readFragment(hash: string): Result | null {
  const f = new URLSearchParams(hash.replace(/^#/, ""));
  const outcome = f.get("outcome") as OAuthOutcome | null;
  if (!outcome || !OUTCOMES.includes(outcome)) return null;
  const provider = f.get("provider");
  const access = f.get("access_token");
  const refresh = f.get("refresh_token");
  const sid = f.get("session_id");
  const expires = Number(f.get("expires_in"));
  return {
    outcome,
    provider: provider && provider in providerLabels ? (provider as Provider) : null,
    redirectTo: f.get("redirect_to") ?? undefined,
    ticket: f.get("two_factor_ticket"),
    session: access && refresh && sid && Number.isFinite(expires) ? { accessToken: access, refreshToken: refresh, sessionId: sid, expiresIn: expires } : null,
  };
}

export default function OAuthCallback() {
  usePageTitle("Signing you in");
  const location = useLocation();
  // Read once: the fragment is wiped right after.
  const [result] = useState(() => readFragment(window.location.hash));
  const [error, setError] = useState<string>();

  useEffect(() => {
    // Tokens must not stay in the address bar, the history or a bookmark.
    history.replaceState(history.state, "", window.location.pathname);
    if (!result) return;
    const label = result.provider ? providerLabels[result.provider] : "The provider";
    if (result.outcome === "linked") {
      location.route(safeNext(result.redirectTo ?? `${paths.settingsSection("accounts")}?linked=${result.provider ?? ""}`), true);
    } else if (result.outcome === "signed_in" || result.outcome === "signed_up") {
      if (!result.session) return setError(`${label} signed you in, but the answer was incomplete. Try again.`);
      setSession({ ...result.session, tokenType: "Bearer" });
      void reloadMe()
        .catch(() => undefined)
        .finally(() => location.route(safeNext(result.redirectTo), true));
    }
  }, []);

  if (!result || error) {
    return (
      <section class="auth-card account-page" aria-labelledby="callback-title">
        <h1 id="callback-title">Sign-in did not complete</h1>
        <p class="form-error" role="alert">
          {error ?? "This page is where a sign-in provider sends you back, and nothing came with the address. Start again from the sign-in page."}
        </p>
        <a class="btn btn-primary" href={paths.signIn()}>
          Go to sign in
        </a>
      </section>
    );
  }
  if (result.outcome === "two_factor_required") return <SecondFactor result={result} />;
  return (
    <section class="auth-card account-page" aria-labelledby="callback-title">
      <h1 id="callback-title">Signing you in</h1>
      <Loading label="Signing you in…" />
    </section>
  );
}

function SecondFactor({ result }: { result: Result }) {
  const location = useLocation();
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (!result.ticket) return;
    setBusy(true);
    setError(null);
    try {
      const { session } = await post<SignedIn>("/v1/auth/oauth/second-factor", { ticket: result.ticket, code: code.replace(/\s+/g, "") }, { auth: false });
      setSession(session);
      await reloadMe().catch(() => undefined);
      location.route(safeNext(result.redirectTo), true);
    } catch (err) {
      setError(err);
      codeRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  const expired = error instanceof ApiError && error.status === 401;
  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <section class="auth-card account-page" aria-labelledby="callback-2fa-title">
      <h1 id="callback-2fa-title">One more step</h1>
      <p>
        {result.provider ? providerLabels[result.provider] : "The provider"} confirmed who you are. Your account also has two-factor authentication: enter a code to finish signing in.
      </p>
      <form onSubmit={submit}>
        <FormError error={fields.code ? null : error} />
        {expired && (
          <p>
            <a href={paths.signIn()}>Start signing in again</a>
          </p>
        )}
        <TextInput
          label="Authentication code"
          name="code"
          hint="The 6-digit code from your authenticator app, or one of your backup codes."
          autoComplete="one-time-code"
          required
          minLength={6}
          maxLength={64}
          value={code}
          onValue={setCode}
          error={fields.code}
          inputRef={codeRef}
          autoFocus
        />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy} disabled={!result.ticket}>
            Verify and sign in
          </Button>
        </div>
      </form>
    </section>
  );
}
