/**
 * Security: change the password (PUT /v1/me/password: a fresh session for this device, every other
 * one ends), two-factor authentication (/v1/me/2fa: enrol with a QR code, confirm, backup codes
 * shown once, regenerate, turn off), and the signed-in sessions (/v1/me/sessions: revoke one, or
 * sign out everywhere).
 */
import { useLocation } from "preact-iso";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, clearTokens, del, errorMessage, get, post, put, setSession } from "../../api";
import { paths } from "../../paths";
import { me } from "../../session";
import { Button, FormError, Loading, TextInput, Time } from "../../ui";
import { announce, formatDate, Panel } from "./controls";
import { QrCode } from "./QrCode";
import type { BackupCodes, DeviceSession, PasswordChanged, SessionList, TwoFactorEnrolment, TwoFactorStatus } from "./types";

export function SecuritySection() {
  return (
    <>
      <PasswordPanel />
      <TwoFactorPanel />
      <SessionsPanel />
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Password

function PasswordPanel() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState<string>();
  const [done, setDone] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setDone(false);
    if (next !== again) {
      setMismatch("The two new passwords are not the same.");
      return;
    }
    setMismatch(undefined);
    setBusy(true);
    setError(null);
    try {
      const { session } = await put<PasswordChanged>("/v1/me/password", { current_password: current, new_password: next });
      // Every token of the account ended with the change: this device carries on with the new session.
      setSession(session);
      setCurrent("");
      setNext("");
      setAgain("");
      setDone(true);
      announce("Password changed. Every other device is signed out.");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <Panel title="Password" id="security-password">
      <form onSubmit={submit}>
        <FormError error={error} />
        {/* Lets password managers tie the new password to the account. */}
        <input type="text" name="username" autoComplete="username" value={me.value?.username ?? ""} hidden readOnly />
        <TextInput label="Current password" name="current_password" type="password" autoComplete="current-password" required value={current} onValue={setCurrent} error={fields.current_password} />
        <TextInput
          label="New password"
          name="new_password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters, and not one of your last 5 passwords."
          required
          minLength={10}
          maxLength={128}
          value={next}
          onValue={setNext}
          error={fields.new_password}
        />
        <TextInput label="New password, again" name="new_password_again" type="password" autoComplete="new-password" required value={again} onValue={setAgain} error={mismatch} />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            Change password
          </Button>
        </div>
        {done && (
          <p class="settings-ok" role="status">
            Your password is changed. Every other device was signed out; this one stays signed in.
          </p>
        )}
      </form>
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------
// Two-factor authentication

type TwoFactorStep =
  | { step: "idle" }
  | { step: "enrol"; enrolment: TwoFactorEnrolment }
  | { step: "codes"; codes: string[]; renewed: boolean }
  | { step: "disable" }
  | { step: "renew" };

function TwoFactorPanel() {
  const [status, setStatus] = useState<TwoFactorStatus>();
  const [loadError, setLoadError] = useState<unknown>(null);
  const [state, setState] = useState<TwoFactorStep>({ step: "idle" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function load() {
    setLoadError(null);
    try {
      setStatus(await get<TwoFactorStatus>("/v1/me/2fa"));
    } catch (err) {
      setLoadError(err);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function start() {
    setBusy(true);
    setError(null);
    try {
      setState({ step: "enrol", enrolment: await post<TwoFactorEnrolment>("/v1/me/2fa/totp") });
    } catch (err) {
      // Turned on meanwhile (another tab): show what is.
      if (err instanceof ApiError && err.status === 409) void load();
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const finish = (codes: string[], renewed: boolean) => {
    setState({ step: "codes", codes, renewed });
    void load();
  };

  let body;
  if (loadError && !status) {
    body = (
      <div role="alert" class="form-error">
        {errorMessage(loadError)} <Button onClick={() => void load()}>Try again</Button>
      </div>
    );
  } else if (!status) {
    body = <Loading label="Loading two-factor authentication…" />;
  } else if (state.step === "enrol") {
    body = <Enrolment enrolment={state.enrolment} onDone={(codes) => finish(codes, false)} onCancel={() => setState({ step: "idle" })} />;
  } else if (state.step === "codes") {
    body = (
      <BackupCodesShown
        codes={state.codes}
        renewed={state.renewed}
        onDone={() => {
          setState({ step: "idle" });
          void load();
        }}
      />
    );
  } else if (state.step === "disable") {
    body = (
      <DisableForm
        onCancel={() => setState({ step: "idle" })}
        onDone={() => {
          setState({ step: "idle" });
          announce("Two-factor authentication is off.");
          void load();
        }}
      />
    );
  } else if (state.step === "renew") {
    body = <RenewForm onCancel={() => setState({ step: "idle" })} onDone={(codes) => finish(codes, true)} />;
  } else if (status.enabled) {
    body = (
      <>
        <p>
          <span class="badge badge-ok">On</span> since {formatDate(status.enabled_at)}. Signing in asks for a code from your authenticator app.
        </p>
        <p class={status.backup_codes_remaining <= 2 ? "field-error" : "field-hint"}>
          {status.backup_codes_remaining} of 10 backup codes left{status.backup_codes_remaining <= 2 ? " — make new ones before you run out." : "."}
        </p>
        <div class="form-actions">
          <Button onClick={() => setState({ step: "renew" })}>New backup codes</Button>
          <Button variant="danger" onClick={() => setState({ step: "disable" })}>
            Turn off
          </Button>
        </div>
      </>
    );
  } else {
    body = (
      <>
        <p>
          <span class="badge badge-warn">Off</span> Add a second step to signing in: a code from an authenticator app (such as Aegis, 2FAS, Google Authenticator or 1Password), so a stolen
          password is not enough to get into your account.
        </p>
        <FormError error={error} />
        <Button variant="primary" busy={busy} onClick={() => void start()}>
          Set up two-factor authentication
        </Button>
      </>
    );
  }

  return (
    <Panel title="Two-factor authentication" id="security-2fa">
      {body}
    </Panel>
  );
}

/** "JBSW Y3DP EHPK …": the key in groups of four, easier to type. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, "$1 ").trim();

function Enrolment({ enrolment, onDone, onCancel }: { enrolment: TwoFactorEnrolment; onDone: (codes: string[]) => void; onCancel: () => void }) {
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { backup_codes } = await post<BackupCodes>("/v1/me/2fa/totp/confirm", { code: code.replace(/\s+/g, "") });
      announce("Two-factor authentication is on.");
      onDone(backup_codes);
    } catch (err) {
      setError(err);
      codeRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  const fieldError = error instanceof ApiError ? error.fields.code : undefined;
  return (
    <div class="enrolment">
      <ol class="steps">
        <li>
          <p>Scan this QR code with your authenticator app.</p>
          <QrCode value={enrolment.otpauth_uri} label="QR code of your two-factor key, for your authenticator app" />
        </li>
        <li>
          <p>Or type this key into the app (time-based, 6 digits, 30 seconds):</p>
          <p>
            <code class="secret" data-testid="totp-secret" aria-label={`Key: ${enrolment.secret.split("").join(" ")}`}>
              {grouped(enrolment.secret)}
            </code>{" "}
            <CopyButton text={enrolment.secret} label="Copy the key" />
          </p>
        </li>
        <li>
          <form onSubmit={submit}>
            <FormError error={fieldError ? null : error} />
            <TextInput
              label="The 6-digit code the app shows"
              name="code"
              autoComplete="one-time-code"
              inputMode="numeric"
              pattern="\s*\d{3}\s?\d{3}\s*"
              required
              maxLength={9}
              value={code}
              onValue={setCode}
              error={fieldError}
              inputRef={codeRef}
            />
            <div class="form-actions">
              <Button type="submit" variant="primary" busy={busy}>
                Turn on
              </Button>
              <Button variant="ghost" onClick={onCancel}>
                Cancel
              </Button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}

function BackupCodesShown({ codes, renewed, onDone }: { codes: string[]; renewed: boolean; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const text = `Veza backup codes for @${me.value?.username ?? ""}\nEach code works once.\n\n${codes.join("\n")}\n`;
  const download = () => {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    a.download = "veza-backup-codes.txt";
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  return (
    <div class="backup-codes">
      <h4 ref={heading} tabIndex={-1}>
        {renewed ? "Your new backup codes" : "Two-factor authentication is on. Save your backup codes"}
      </h4>
      <p>
        If you lose your phone, each of these codes signs you in once. <strong>They are shown only now</strong>: keep them somewhere safe, such as a password manager.
        {renewed ? " Your previous codes no longer work." : ""}
      </p>
      <ul class="codes" aria-label="Backup codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <div class="form-actions">
        <CopyButton text={text} label="Copy the codes" />
        <Button onClick={download}>Download as a file</Button>
        <Button variant="primary" onClick={onDone}>
          I have saved them
        </Button>
      </div>
    </div>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  if (!navigator.clipboard) return null;
  return (
    <Button
      variant="ghost"
      onClick={() =>
        void navigator.clipboard.writeText(text).then(
          () => {
            setCopied(true);
            announce("Copied.");
            setTimeout(() => setCopied(false), 2000);
          },
          () => announce("Copying is not allowed here: select the text instead."),
        )
      }
    >
      {copied ? "Copied" : label}
    </Button>
  );
}

function DisableForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await del("/v1/me/2fa", { body: { password, code: code.trim() } });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <form onSubmit={submit}>
      <p>Turning it off makes your password the only thing between others and your account. Confirm it is you:</p>
      <FormError error={error} />
      <TextInput label="Your password" name="password" type="password" autoComplete="current-password" required value={password} onValue={setPassword} error={fields.password} autoFocus />
      <TextInput
        label="A code from your app, or a backup code"
        name="code"
        autoComplete="one-time-code"
        required
        minLength={6}
        maxLength={32}
        value={code}
        onValue={setCode}
        error={fields.code}
      />
      <div class="form-actions">
        <Button type="submit" variant="danger" busy={busy}>
          Turn off two-factor authentication
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function RenewForm({ onDone, onCancel }: { onDone: (codes: string[]) => void; onCancel: () => void }) {
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { backup_codes } = await post<BackupCodes>("/v1/me/2fa/backup-codes", { code: code.trim() });
      announce("New backup codes made. The previous ones no longer work.");
      onDone(backup_codes);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <form onSubmit={submit}>
      <p>New codes replace all of your current backup codes. Confirm with a code:</p>
      <FormError error={error} />
      <TextInput
        label="A code from your app, or a backup code"
        name="code"
        autoComplete="one-time-code"
        required
        minLength={6}
        maxLength={32}
        value={code}
        onValue={setCode}
        error={fields.code}
        autoFocus
      />
      <div class="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Make new backup codes
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Sessions

function describe(s: DeviceSession): string {
  if (s.device_name) return s.device_name;
  const ua = s.user_agent ?? "";
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrome\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : null;
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Mac OS X/.test(ua) ? "macOS" : /Windows/.test(ua) ? "Windows" : /Linux/.test(ua) ? "Linux" : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? (ua ? ua.slice(0, 60) : "Unknown device");
}

function SessionsPanel() {
  const location = useLocation();
  const [items, setItems] = useState<DeviceSession[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; text: string }>();
  const [everywhere, setEverywhere] = useState<"idle" | "confirm" | "busy">("idle");
  const [everywhereError, setEverywhereError] = useState<unknown>(null);

  async function load(after?: string) {
    setLoading(true);
    setError(null);
    try {
      const page = await get<SessionList>("/v1/me/sessions", { limit: 20, cursor: after });
      setItems((list) => (after ? [...list, ...page.items] : page.items));
      setCursor(page.next_cursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function revoke(s: DeviceSession) {
    setRevoking(s.id);
    setRowError(undefined);
    try {
      await del(`/v1/me/sessions/${s.id}`);
      setItems((list) => list.filter((x) => x.id !== s.id));
      announce(`${describe(s)} is signed out.`);
    } catch (err) {
      // Already over (expired, signed out there): it is gone either way.
      if (err instanceof ApiError && err.status === 404) setItems((list) => list.filter((x) => x.id !== s.id));
      else setRowError({ id: s.id, text: errorMessage(err) });
    } finally {
      setRevoking(null);
    }
  }

  async function signOutEverywhere() {
    setEverywhere("busy");
    setEverywhereError(null);
    try {
      await post("/v1/auth/logout-all");
      clearTokens();
      location.route(paths.signIn(), true);
    } catch (err) {
      setEverywhereError(err);
      setEverywhere("confirm");
    }
  }

  return (
    <Panel title="Where you are signed in" id="security-sessions">
      {error && !items.length ? (
        <div role="alert" class="form-error">
          {errorMessage(error)} <Button onClick={() => void load()}>Try again</Button>
        </div>
      ) : loading && !items.length ? (
        <Loading label="Loading your sessions…" />
      ) : (
        <ul class="settings-list" aria-label="Signed-in sessions">
          {items.map((s) => (
            <li key={s.id} class="settings-list-item">
              <div class="settings-list-main">
                <strong>{describe(s)}</strong> {s.current && <span class="badge badge-ok">This device</span>}
                <div class="field-hint">
                  {s.ip ? `${s.ip} · ` : ""}signed in {formatDate(s.created_at)} · last active <Time value={s.last_used_at} />
                </div>
                {rowError?.id === s.id && (
                  <p class="field-error" role="alert">
                    {rowError.text}
                  </p>
                )}
              </div>
              {!s.current && (
                <Button busy={revoking === s.id} onClick={() => void revoke(s)} aria-label={`Sign out ${describe(s)}`}>
                  Sign out
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <Button busy={loading} onClick={() => void load(cursor)}>
          Show more
        </Button>
      )}
      <div class="everywhere">
        <FormError error={everywhereError} />
        {everywhere === "idle" ? (
          <Button variant="danger" onClick={() => setEverywhere("confirm")}>
            Sign out everywhere…
          </Button>
        ) : (
          <div class="notice" role="group" aria-label="Sign out everywhere">
            <p>Every device, this one included, will be signed out at once.</p>
            <div class="form-actions">
              <Button variant="danger" busy={everywhere === "busy"} onClick={() => void signOutEverywhere()} autoFocus>
                Sign out everywhere
              </Button>
              <Button variant="ghost" onClick={() => setEverywhere("idle")}>
                Cancel
              </Button>
            </div>
          </div>
        )}
      </div>
    </Panel>
  );
}
