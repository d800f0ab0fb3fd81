/**
 * /verify-email?token= — where the confirmation mail points. Spends the token (POST
 * /v1/auth/verify-email); the link works without being signed in. When it is expired or used, a
 * signed-in person can ask for a new one here.
 */
import "./account.css";
import { useLocation } from "preact-iso";
import { useEffect, useRef, useState } from "preact/hooks";
import { errorMessage, post } from "../../api";
import { paths } from "../../paths";
import { reloadMe, signedIn } from "../../session";
import { Button, Loading, usePageTitle } from "../../ui";
import type { Accepted } from "../settings/types";

export default function VerifyEmail() {
  usePageTitle("Confirm your email");
  const { query } = useLocation();
  const token = query.token ?? "";
  const [state, setState] = useState<{ status: "working" } | { status: "done" } | { status: "failed"; message: string }>(() =>
    token ? { status: "working" } : { status: "failed", message: "This link has no token. Open the link from the email as it is, or ask for a new one." },
  );
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    // A token works once: never send it twice (a re-render, a second effect run).
    sent.current = true;
    post("/v1/auth/verify-email", { token }, { auth: false })
      .then(() => {
        setState({ status: "done" });
        if (signedIn.value) void reloadMe().catch(() => undefined);
      })
      .catch((err: unknown) => setState({ status: "failed", message: errorMessage(err) }));
  }, [token]);

  return (
    <section class="auth-card account-page" aria-labelledby="verify-title">
      <h1 id="verify-title">Confirm your email</h1>
      {state.status === "working" ? (
        <Loading label="Confirming your email address…" />
      ) : state.status === "done" ? (
        <div role="status">
          <p class="account-ok">Your email address is confirmed. Thank you!</p>
          <p>
            <a class="btn btn-primary" href={signedIn.value ? paths.home : paths.signIn()}>
              {signedIn.value ? "Go to your feed" : "Sign in"}
            </a>
          </p>
        </div>
      ) : (
        <>
          <p class="form-error" role="alert">
            {state.message}
          </p>
          {signedIn.value ? <Resend /> : <p>Sign in, then ask for a new link from your profile settings.</p>}
        </>
      )}
    </section>
  );
}

function Resend() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  async function resend() {
    setBusy(true);
    setResult(undefined);
    try {
      setResult({ ok: true, text: (await post<Accepted>("/v1/auth/verify-email/resend")).detail });
    } catch (err) {
      setResult({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <Button variant="primary" busy={busy} onClick={() => void resend()}>
        Send me a new link
      </Button>
      {result && (
        <p class={result.ok ? "account-ok" : "field-error"} role={result.ok ? "status" : "alert"}>
          {result.text}
        </p>
      )}
    </>
  );
}
