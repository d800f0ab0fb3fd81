/**
 * Privacy & data (GDPR): consents (PATCH /v1/me/consents, saved on toggle), who sees the profile,
 * discoverability, blocked people, a copy of my data (GET/POST /v1/me/export) and deleting the account
 * (DELETE /v1/me).
 */
import { useLocation } from "preact-iso";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, clearTokens, del, errorMessage, get, patch, post } from "../../api";
import { paths } from "../../paths";
import { me, updateMe } from "../../session";
import { Button, Empty, FormError, Loading, TextInput, Time, UserLink, formatBytes, useApi } from "../../ui";
import { announce, formatDate, Panel, RadioGroup, SettingSwitch, Switch } from "./controls";
import type { BlockList, Consents, ExportStatus, LinkedIdentities, Me } from "./types";

export function PrivacySection() {
  const account = me.value;
  if (!account) return null;
  return (
    <>
      <ConsentsPanel account={account} />
      <VisibilityPanel account={account} />
      <Panel title="Discoverability and history" id="privacy-discover">
        <SettingSwitch name="allow_search_indexing" label="Show me in Veza search" hint="Off: your profile does not appear in Veza’s search results." />
        <SettingSwitch name="show_activity" label="Show my activity" hint="Whether others can see what you have been doing on Veza lately." />
        <SettingSwitch name="save_search_history" label="Keep my search history" hint="Off by default. On: your searches are kept 90 days, for you only." />
      </Panel>
      <BlockedPanel />
      <ExportPanel account={account} />
      <DeletePanel account={account} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Consents

function ConsentsPanel({ account }: { account: Me }) {
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<boolean | null>(null);
  const [error, setError] = useState<string>();
  const { consents } = account;

  async function setMarketing(value: boolean) {
    setShown(value);
    setBusy(true);
    setError(undefined);
    try {
      const next = await patch<Consents>("/v1/me/consents", { marketing_consent: value });
      if (me.value) {
        me.value = {
          ...me.value,
          consents: {
            data_processing: next.data_processing_consent,
            data_processing_at: next.data_processing_consent_at,
            marketing: next.marketing_consent,
            marketing_at: next.marketing_consent_at,
          },
        };
      }
      announce(value ? "Consent given: news by email." : "Consent withdrawn: no more news by email.");
    } catch (err) {
      setError(`Not saved: ${errorMessage(err)}`);
      announce("Your change was not saved.");
    } finally {
      setShown(null);
      setBusy(false);
    }
  }

  return (
    <Panel title="Consents" id="privacy-consents">
      <p class="field-hint">Each consent is separate and recorded with its date. Veza shows no ads and sells no data; creators see counts, never who you are.</p>
      <Switch
        name="data_processing_consent"
        label="Processing of the data your account needs"
        checked={consents.data_processing}
        disabled
        onChange={() => undefined}
        hint={
          <>
            Required: it is the legal basis of your account (GDPR Art. 6){consents.data_processing_at ? `, given on ${formatDate(consents.data_processing_at)}` : ""}. To
            withdraw it, delete your account below — nothing more is processed from that moment.
          </>
        }
      />
      <Switch
        name="marketing_consent"
        label="News about Veza by email"
        checked={shown ?? consents.marketing}
        busy={busy}
        error={error}
        onChange={(v) => void setMarketing(v)}
        hint={
          <>
            Optional: occasional emails about new features and events. Withdraw it any time; it changes nothing else.
            {consents.marketing_at ? ` ${consents.marketing ? "Given" : "Withdrawn"} on ${formatDate(consents.marketing_at)}.` : ""}
          </>
        }
      />
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------
// Who sees the profile

type Visibility = Me["profile"]["profile_visibility"];

function VisibilityPanel({ account }: { account: Me }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [pending, setPending] = useState<{ visibility?: Visibility; show_email?: boolean; show_location?: boolean }>({});
  const p = account.profile;

  async function save<K extends "profile_visibility" | "show_email" | "show_location">(field: K, value: NonNullable<Parameters<typeof updateMe>[0][K]>) {
    setBusy(field);
    setPending((s) => ({ ...s, [field === "profile_visibility" ? "visibility" : field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
    try {
      await updateMe({ [field]: value });
      announce("Saved.");
    } catch (err) {
      setErrors((e) => ({ ...e, [field]: `Not saved: ${(err instanceof ApiError && err.fields[field]) || errorMessage(err)}` }));
    } finally {
      setPending({});
      setBusy(null);
    }
  }

  return (
    <Panel title="Your profile" id="privacy-profile">
      <RadioGroup<Visibility>
        legend="Who can see your profile"
        name="profile_visibility"
        value={pending.visibility ?? p.profile_visibility}
        error={errors.profile_visibility}
        onChange={(v) => void save("profile_visibility", v)}
        options={[
          { value: "public", label: "Everyone", hint: "Listed in search and on your followers’ pages." },
          { value: "unlisted", label: "People with the link", hint: "Not listed anywhere; anyone with the address can open it." },
          { value: "private", label: "Only you", hint: "Others see that the account exists, nothing more." },
        ]}
      />
      <Switch
        name="show_email"
        label="Show my email address on my profile"
        checked={pending.show_email ?? p.show_email}
        busy={busy === "show_email"}
        error={errors.show_email}
        onChange={(v) => void save("show_email", v)}
      />
      <Switch
        name="show_location"
        label="Show my location on my profile"
        checked={pending.show_location ?? p.show_location}
        busy={busy === "show_location"}
        error={errors.show_location}
        onChange={(v) => void save("show_location", v)}
      />
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------
// Blocked people

function BlockedPanel() {
  const [items, setItems] = useState<BlockList["items"]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [unblocking, setUnblocking] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ username: string; text: string }>();

  async function load(after?: string) {
    setLoading(true);
    setError(null);
    try {
      const page = await get<BlockList>("/v1/me/blocks", { limit: 20, cursor: after });
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

  async function unblock(username: string) {
    setUnblocking(username);
    setRowError(undefined);
    try {
      await del(`/v1/me/blocks/${encodeURIComponent(username)}`);
      setItems((list) => list.filter((b) => b.user.username !== username));
      announce(`@${username} is unblocked.`);
    } catch (err) {
      setRowError({ username, text: errorMessage(err) });
    } finally {
      setUnblocking(null);
    }
  }

  return (
    <Panel title="Blocked people" id="privacy-blocked">
      <p class="field-hint">People you blocked cannot see your profile, tracks or posts, nor message you, and you do not see theirs. Block someone from their profile.</p>
      {error && !items.length ? (
        <div role="alert" class="form-error">
          {errorMessage(error)} <Button onClick={() => void load()}>Try again</Button>
        </div>
      ) : loading && !items.length ? (
        <Loading label="Loading the people you blocked…" />
      ) : !items.length ? (
        <Empty title="You have not blocked anyone" />
      ) : (
        <ul class="settings-list" aria-label="Blocked people">
          {items.map((b) => (
            <li key={b.user.id} class="settings-list-item">
              <div class="settings-list-main">
                <UserLink user={b.user} />
                {b.user.display_name && <span class="muted"> @{b.user.username}</span>}
                <div class="field-hint">
                  Blocked <Time value={b.created_at} />
                  {b.reason ? ` — your note: ${b.reason}` : ""}
                </div>
                {rowError?.username === b.user.username && (
                  <p class="field-error" role="alert">
                    {rowError.text}
                  </p>
                )}
              </div>
              <Button busy={unblocking === b.user.username} onClick={() => void unblock(b.user.username)} aria-label={`Unblock @${b.user.username}`}>
                Unblock
              </Button>
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <Button busy={loading} onClick={() => void load(cursor)}>
          Show more
        </Button>
      )}
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------
// Export

/** While an archive is being prepared, how often the panel asks whether it is ready. */
const EXPORT_POLL_MS = 5_000;

/**
 * GET /v1/me/export says whether a copy is being prepared and gives a fresh link to the latest
 * archive, so the download is here as well as in the mail.
 */
function ExportPanel({ account }: { account: Me }) {
  const state = useApi<ExportStatus>("/v1/me/export");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [refused, setRefused] = useState<string>();
  const status = state.data;

  // Pending: look again every few seconds until the archive is there (the job takes seconds).
  const { reload } = state;
  useEffect(() => {
    if (status?.status !== "pending") return;
    const timer = setTimeout(reload, EXPORT_POLL_MS);
    return () => clearTimeout(timer);
  }, [status, reload]);
  const wasPending = useRef(false);
  useEffect(() => {
    if (wasPending.current && status?.status === "ready") announce("Your copy is ready to download.");
    wasPending.current = status?.status === "pending";
  }, [status]);

  async function request() {
    setBusy(true);
    setError(null);
    setRefused(undefined);
    try {
      const { requested_at } = await post<{ requested_at: string }>("/v1/me/export");
      state.setData((previous) => ({ status: "pending", requested_at, archive: previous?.archive ?? null }));
      announce("Export requested. We are preparing it; the link will also be emailed to you.");
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setRefused(err.message);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  const archive = status?.archive;
  return (
    <Panel title="A copy of your data" id="privacy-export">
      <p>
        Download everything Veza holds about you — profile, tracks, playlists, posts, messages, purchases, settings — as one JSON file (GDPR Art. 20). We prepare it in the background, show it
        here when it is ready and email a download link to <strong>{account.email}</strong>.
      </p>
      <FormError error={error ?? state.error} />
      <div class="export-status" aria-live="polite">
        {refused && <p class="notice">{refused}</p>}
        {status?.status === "pending" && status.requested_at && (
          <p class="notice" data-testid="export-status">
            You asked for a copy <Time value={status.requested_at} />. It is being prepared…
          </p>
        )}
        {archive && (
          <p data-testid="export-archive">
            <a class="btn btn-primary" href={archive.download_url} download>
              Download your data
            </a>{" "}
            <span class="muted small">
              {status?.status === "pending" ? "The previous copy, made " : "Made "}
              <Time value={archive.generated_at} /> · {formatBytes(archive.bytes)} · this link works until {formatDate(archive.expires_at)}
            </span>
          </p>
        )}
      </div>
      {state.loading && !status ? (
        <Loading label="Checking for a copy…" />
      ) : (
        <Button busy={busy} disabled={status?.status === "pending"} onClick={() => void request()}>
          {archive || status?.status === "pending" ? "Request a new copy" : "Request my data"}
        </Button>
      )}
    </Panel>
  );
}


// ---------------------------------------------------------------------------------------------
// Delete the account

function DeletePanel({ account }: { account: Me }) {
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const [hasPassword, setHasPassword] = useState<boolean | null>(null);
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  // Whether the account has a password (one that signed up with a provider may not).
  useEffect(() => {
    if (!open || hasPassword !== null) return;
    get<LinkedIdentities>("/v1/me/oauth")
      .then((r) => setHasPassword(r.hasPassword))
      .catch(() => setHasPassword(true));
  }, [open]);

  useEffect(() => {
    if (open && hasPassword !== null) requestAnimationFrame(() => (hasPassword ? passwordRef : confirmRef).current?.focus());
  }, [open, hasPassword]);

  async function submit(e: Event) {
    e.preventDefault();
    if (confirm !== "DELETE") return;
    setBusy(true);
    setError(null);
    try {
      await del("/v1/me", { body: { confirm: "DELETE", ...(hasPassword ? { password } : {}) } });
      // Every session of the account is over: forget this one and say goodbye.
      location.route(paths.accountDeleted, true);
      clearTokens();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 403 && !err.problem.errors ? wrongPassword(err) : err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <Panel title="Delete your account" id="privacy-delete" tone="danger">
      <p>Deleting your account:</p>
      <ul class="consequences">
        <li>signs you out everywhere at once, and nobody can see your profile, tracks, playlists or posts any more;</li>
        <li>frees your username and email address for someone else;</li>
        <li>
          anonymises your data <strong>30 days later</strong> — until then it is kept, unseen, only so that a mistake or an abuse can be looked into;
        </li>
        <li>keeps your orders for 7 years, as the law requires, without your name or billing details.</li>
      </ul>
      <p>It cannot be undone. You may want to request a copy of your data first.</p>
      {!open ? (
        <Button variant="danger" onClick={() => setOpen(true)}>
          Delete my account…
        </Button>
      ) : hasPassword === null ? (
        <Loading label="Preparing…" />
      ) : (
        <form onSubmit={submit} class="delete-form">
          <FormError error={error} />
          {hasPassword && (
            <TextInput
              label="Your password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onValue={setPassword}
              error={fields.password}
              inputRef={passwordRef}
            />
          )}
          <TextInput
            label={
              <>
                Type <strong>DELETE</strong> to confirm
              </>
            }
            name="confirm"
            autoComplete="off"
            spellcheck={false}
            required
            value={confirm}
            onValue={setConfirm}
            error={fields.confirm}
            inputRef={confirmRef}
          />
          <div class="form-actions">
            <Button type="submit" variant="danger" busy={busy} disabled={confirm !== "DELETE" || (hasPassword === true && !password)}>
              Delete @{account.username} for good
            </Button>
            <Button
              variant="ghost"
              onClick={() => {
                setOpen(false);
                setPassword("");
                setConfirm("");
                setError(null);
              }}
            >
              Keep my account
            </Button>
          </div>
        </form>
      )}
    </Panel>
  );
}

/** A wrong password is a 403 without field errors: shown by the password field. */
function wrongPassword(err: ApiError): ApiError {
  return new ApiError({ ...err.problem, errors: [{ path: "json.password", message: err.message }] });
}
