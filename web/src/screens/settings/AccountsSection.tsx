/**
 * Connected accounts (/settings/accounts, where the "provider linked" mail points): the sign-in
 * providers linked to the account (GET /v1/me/oauth), unlinking one, and linking another — after
 * confirming it is you (POST /v1/me/oauth/:provider/link), the browser goes to the provider, which
 * sends it back to /auth/callback and then here with `?linked=<provider>`.
 */
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { ApiError, del, errorMessage, post } from "../../api";
import { paths } from "../../paths";
import { me } from "../../session";
import { Button, Empty, FormError, Loading, TextInput, useApi } from "../../ui";
import { announce, formatDate, Panel } from "./controls";
import { providerLabels, type LinkedIdentities, type Provider, type TwoFactorStatus } from "./types";

export function AccountsSection() {
  const { query } = useLocation();
  const identities = useApi<LinkedIdentities>("/v1/me/oauth");
  const twoFactor = useApi<TwoFactorStatus>("/v1/me/2fa");
  const [linking, setLinking] = useState<Provider | null>(null);
  const [unlinking, setUnlinking] = useState<Provider | null>(null);
  const [rowError, setRowError] = useState<{ provider: Provider; text: string }>();
  const linked = query.linked && query.linked in providerLabels ? providerLabels[query.linked as Provider] : null;

  async function unlink(provider: Provider) {
    setUnlinking(provider);
    setRowError(undefined);
    try {
      await del(`/v1/me/oauth/${provider}`);
      announce(`${providerLabels[provider]} is unlinked.`);
      identities.reload();
    } catch (err) {
      setRowError({ provider, text: errorMessage(err) });
    } finally {
      setUnlinking(null);
    }
  }

  const data = identities.data;
  const offered = data ? data.available.filter((p) => !data.identities.some((i) => i.provider === p)) : [];
  return (
    <>
      {linked && (
        <p class="notice" role="status">
          {linked} is linked: you can now sign in with it.
        </p>
      )}
      <Panel title="Sign-in providers" id="accounts-linked">
        <p class="field-hint">Accounts elsewhere that can sign you in to Veza. We never post anything through them.</p>
        {identities.error && !data ? (
          <div role="alert" class="form-error">
            {errorMessage(identities.error)} <Button onClick={identities.reload}>Try again</Button>
          </div>
        ) : !data ? (
          <Loading label="Loading your linked accounts…" />
        ) : (
          <>
            {data.identities.length === 0 ? (
              <Empty title="No provider is linked">{data.hasPassword ? <p>You sign in with your email or username and password.</p> : null}</Empty>
            ) : (
              <ul class="settings-list" aria-label="Linked providers">
                {data.identities.map((i) => {
                  const only = !data.hasPassword && data.identities.length === 1;
                  return (
                    <li key={i.provider} class="settings-list-item">
                      <div class="settings-list-main">
                        <strong>{providerLabels[i.provider]}</strong> {i.isPrimary && <span class="badge">Created with it</span>}
                        <div class="field-hint">
                          {[i.providerUsername, i.providerEmail].filter(Boolean).join(" · ")}
                          {i.providerUsername || i.providerEmail ? " · " : ""}linked {formatDate(i.linkedAt)}
                        </div>
                        {only && <p class="field-hint">Your only way to sign in: set a password (through “Forgot your password?”) before unlinking it.</p>}
                        {rowError?.provider === i.provider && (
                          <p class="field-error" role="alert">
                            {rowError.text}
                          </p>
                        )}
                      </div>
                      <Button busy={unlinking === i.provider} disabled={only} onClick={() => void unlink(i.provider)} aria-label={`Unlink ${providerLabels[i.provider]}`}>
                        Unlink
                      </Button>
                    </li>
                  );
                })}
              </ul>
            )}
          </>
        )}
      </Panel>
      {data && (
        <Panel title="Link another provider" id="accounts-link">
          {offered.length === 0 ? (
            <p class="muted">{data.available.length === 0 ? "This Veza server offers no sign-in providers." : "Every provider this server offers is linked."}</p>
          ) : linking ? (
            <LinkForm
              provider={linking}
              hasPassword={data.hasPassword}
              needsCode={twoFactor.data?.enabled === true}
              onCancel={() => setLinking(null)}
            />
          ) : (
            <>
              {!me.value?.email_verified && <p class="notice">Confirm your email address first (see Profile): linking needs a verified address.</p>}
              <div class="form-actions">
                {offered.map((p) => (
                  <Button key={p} onClick={() => setLinking(p)}>
                    Link {providerLabels[p]}
                  </Button>
                ))}
              </div>
            </>
          )}
        </Panel>
      )}
    </>
  );
}

function LinkForm({ provider, hasPassword, needsCode, onCancel }: { provider: Provider; hasPassword: boolean; needsCode: boolean; onCancel: () => void }) {
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const label = providerLabels[provider];

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { authorizationUrl } = await post<{ authorizationUrl: string }>(
        `/v1/me/oauth/${provider}/link?redirect_to=${encodeURIComponent(`${paths.settingsSection("accounts")}?linked=${provider}`)}`,
        { ...(hasPassword ? { password } : {}), ...(needsCode ? { code: code.trim() } : {}) },
      );
      // On to the provider; it sends the browser back to /auth/callback.
      location.assign(authorizationUrl);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <form onSubmit={submit}>
      <p>A new way into your account: confirm it is you, then {label} asks you to allow it.</p>
      <FormError error={error} />
      {hasPassword && (
        <TextInput label="Your password" name="password" type="password" autoComplete="current-password" required value={password} onValue={setPassword} error={fields.password} autoFocus />
      )}
      {needsCode && (
        <TextInput
          label="A code from your authenticator app, or a backup code"
          name="code"
          autoComplete="one-time-code"
          required
          minLength={6}
          maxLength={64}
          value={code}
          onValue={setCode}
          error={fields.code}
          autoFocus={!hasPassword}
        />
      )}
      <div class="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Continue to {label}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
